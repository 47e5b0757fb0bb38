#include "api/auth_middleware.hpp"

namespace pillivery::api {

using domain::Error;
using domain::ErrorCode;

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
  if (!principal.IsAdmin()) throw Error(ErrorCode::kForbidden, "This needs the ADMIN role.");
  return principal;
}

}  // namespace pillivery::api
