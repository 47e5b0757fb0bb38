#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/accounts/auth_service.hpp"
#include "service/accounts/oauth_service.hpp"

namespace pillivery::api {

// POST /api/auth/login · refresh · logout, GET /api/auth/oauth2/{provider}[/callback].
class AuthHandlers {
 public:
  // secure_cookies: the OAuth state cookie is Secure (the public base URL is https).
  AuthHandlers(service::AuthService& auth, service::OAuthService& oauth, bool secure_cookies)
      : auth_(auth), oauth_(oauth), secure_cookies_(secure_cookies) {}

  http::Response Login(http::Request& request);
  http::Response Refresh(http::Request& request);
  http::Response Logout(http::Request& request, const domain::Principal& caller);
  http::Response OAuthStart(http::Request& request);
  http::Response OAuthCallback(http::Request& request);

 private:
  service::AuthService& auth_;
  service::OAuthService& oauth_;
  bool secure_cookies_;
};

}  // namespace pillivery::api
