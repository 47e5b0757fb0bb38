#pragma once
// Bearer tokens: resolve one to a principal (RequireUser), demand the ADMIN
// role (RequireAdmin, 403). AccessGuard (access.hpp) calls these for the
// routes that declare it; handlers never do.
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

// The WWW-Authenticate challenge of every 401 (RFC 6750 §3), which
// http::ProblemMiddleware adds when it answers one.
inline constexpr const char* kBearerChallenge = R"(Bearer realm="pillivery")";

}  // namespace pillivery::api
