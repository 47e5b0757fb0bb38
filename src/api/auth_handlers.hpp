#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

namespace pillivery::api {

// POST /api/auth/login · refresh · logout, GET /api/auth/oauth2/{provider}[/callback].
class AuthHandlers {
 public:
  explicit AuthHandlers(ApiContext& context) : context_(context) {}

  http::Response Login(http::Request& request);
  http::Response Refresh(http::Request& request);
  http::Response Logout(http::Request& request);
  http::Response OAuthStart(http::Request& request);
  http::Response OAuthCallback(http::Request& request);

 private:
  ApiContext& context_;
};

}  // namespace pillivery::api
