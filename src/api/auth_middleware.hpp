#pragma once
// Authorization plumbing for every handler: resolve the bearer token to a
// principal (RequireUser), demand the ADMIN role (RequireAdmin, 403), and the
// route wrapper that adds the headers RFC 6750 / RFC 9110 ask of 401 and 429
// answers (WWW-Authenticate, Retry-After).
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/accounts/auth_service.hpp"

#include <optional>
#include <string_view>

namespace pillivery::api {

class Authenticator {
 public:
  explicit Authenticator(service::AuthService& auth) : auth_(auth) {}

  // 401 UNAUTHORIZED without a valid bearer token of an active account.
  domain::Principal RequireUser(const http::Request& request) const;
  // 401 as above; 403 FORBIDDEN for an authenticated non-admin.
  domain::Principal RequireAdmin(const http::Request& request) const;

 private:
  service::AuthService& auth_;
};

// "Authorization: Bearer <token>" → the token.
std::optional<std::string_view> BearerToken(const http::Request& request);

// Wraps a route handler: a 401 gets WWW-Authenticate: Bearer, a rate-limit
// error gets Retry-After. Everything else passes through to ProblemMiddleware.
http::Handler WithAuthChallenges(http::Handler handler);

}  // namespace pillivery::api
