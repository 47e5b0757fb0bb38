#include "api/auth_handlers.hpp"

#include "api/strict_json.hpp"
#include "api/user_json.hpp"

namespace pillivery::api {

namespace {

// Token answers must not be cached by anything in between (RFC 6749 §5.1).
http::Response TokenResponse(boost::json::object data) {
  auto response = http::Response::Data(200, std::move(data));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

std::string CookieValue(const http::Request& request, std::string_view name) {
  auto header = request.HeaderValue("Cookie");
  if (!header) return {};
  std::string_view cookies = *header;
  while (!cookies.empty()) {
    auto semicolon = cookies.find(';');
    auto pair = cookies.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
      return std::string(pair.substr(name.size() + 1));
    if (semicolon == std::string_view::npos) break;
    cookies.remove_prefix(semicolon + 1);
  }
  return {};
}

std::string StateCookie(bool secure, const std::string& value, long max_age) {
  // SameSite=Lax: the provider's redirect back is a top-level GET, which Lax still carries.
  return std::string(service::OAuthService::kStateCookie) + "=" + value +
         "; Path=/api/auth/oauth2; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

}  // namespace

http::Response AuthHandlers::Login(http::Request& request) {
  auto body = StrictJsonBody(request);
  domain::Validator types;
  auto email = RequiredStringField(body, "email", types);
  auto password = RequiredStringField(body, "password", types);
  types.ThrowIfAny();
  return TokenResponse(TokenPairJson(auth_.Login(email, password, request.client_address)));
}

http::Response AuthHandlers::Refresh(http::Request& request) {
  auto body = StrictJsonBody(request);
  domain::Validator types;
  auto token = RequiredStringField(body, "refreshToken", types);
  types.ThrowIfAny();
  return TokenResponse(TokenPairJson(auth_.Refresh(token)));
}

http::Response AuthHandlers::Logout(http::Request& request, const domain::Principal& principal) {
  std::optional<std::string> refresh_token;
  if (!request.body.empty()) {
    auto body = StrictJsonBody(request);
    domain::Validator types;
    refresh_token = StringField(body, "refreshToken", types);
    types.ThrowIfAny();
  }
  auth_.Logout(principal, refresh_token);
  return http::Response::NoContent();
}

http::Response AuthHandlers::OAuthStart(http::Request& request) {
  auto start = oauth_.Begin(request.PathParam("provider").value_or(""));
  auto response = http::Response::Redirect(start.authorize_url);
  response.SetHeader("Set-Cookie",
                     StateCookie(secure_cookies_, start.state, service::OAuthService::kStateLifetime.count()));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::Response AuthHandlers::OAuthCallback(http::Request& request) {
  auto provider = std::string(request.PathParam("provider").value_or(""));
  // A browser that the provider sent back (Accept: text/html) lands in the web
  // app's /oauth/{provider}/callback with the result in the URL fragment,
  // which browsers never send to a server; API clients get JSON as before.
  bool browser = request.HeaderValue("Accept").value_or("").find("text/html") != std::string_view::npos;
  auto to_app = [&](const std::string& fragment) {
    auto response = http::Response::Redirect("/oauth/" + (provider == "kakao" ? provider : std::string("google")) +
                                             "/callback#" + fragment);
    response.SetHeader("Cache-Control", "no-store");
    response.SetHeader("Referrer-Policy", "no-referrer");
    response.SetHeader("Set-Cookie", StateCookie(secure_cookies_, "", 0));  // the state is spent
    return response;
  };
  try {
    if (request.QueryValue("error"))
      throw domain::Error(domain::ErrorCode::kOauthDenied, "The sign-in was cancelled at the provider.");
    auto result =
        oauth_.Complete(provider, request.QueryValue("code").value_or(""), request.QueryValue("state").value_or(""),
                        CookieValue(request, service::OAuthService::kStateCookie));
    if (browser)
      return to_app("accessToken=" + result.tokens.access_token + "&refreshToken=" + result.tokens.refresh_token +
                    "&expiresIn=" + std::to_string(result.tokens.expires_in) + "&profileComplete=" +
                    (result.profile_complete ? "true" : "false") + "&newUser=" + (result.created ? "true" : "false"));
    auto data = TokenPairJson(result.tokens);
    data["userId"] = result.user_id;
    data["newUser"] = result.created;
    data["profileComplete"] = result.profile_complete;
    auto response = TokenResponse(std::move(data));
    response.SetHeader("Set-Cookie", StateCookie(secure_cookies_, "", 0));  // the state is spent
    return response;
  } catch (const domain::Error& error) {
    if (!browser || (provider != "kakao" && provider != "google")) throw;
    return to_app("error=" + error.Code());
  }
}

}  // namespace pillivery::api
