#include "api/auth_middleware.hpp"

#include "http/middleware.hpp"

namespace pillivery::api {

using domain::Error;
using domain::ErrorKind;

std::optional<std::string_view> BearerToken(const http::Request& request) {
  auto header = request.HeaderValue("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || !http::IEquals(value.substr(0, kScheme.size()), kScheme)) return std::nullopt;
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  return value;
}

domain::Principal Authenticator::RequireUser(const http::Request& request) const {
  auto token = BearerToken(request);
  if (!token) throw domain::Unauthorized("A bearer access token is required.");
  return auth_.Authenticate(*token);
}

domain::Principal Authenticator::RequireAdmin(const http::Request& request) const {
  auto principal = RequireUser(request);
  if (!principal.IsAdmin()) throw Error(ErrorKind::kForbidden, "FORBIDDEN", "This needs the ADMIN role.");
  return principal;
}

http::Handler WithAuthChallenges(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& request) -> http::Response {
    auto problem = [](const Error& error) {
      std::vector<std::pair<std::string, std::string>> fields;
      for (const auto& e : error.Errors()) fields.emplace_back(e.field, e.reason);
      return http::ProblemResponse(domain::HttpStatusOf(error.Kind()), error.Code(), error.Detail(), fields);
    };
    try {
      return handler(request);
    } catch (const domain::RateLimitedError& error) {
      auto response = problem(error);
      response.SetHeader("Retry-After", std::to_string(error.RetryAfterSeconds()));
      return response;
    } catch (const Error& error) {
      if (error.Kind() != ErrorKind::kUnauthorized) throw;
      auto response = problem(error);
      response.SetHeader("WWW-Authenticate", R"(Bearer realm="pillivery")");
      return response;
    }
  };
}

}  // namespace pillivery::api
