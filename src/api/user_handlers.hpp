#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

namespace pillivery::api {

// POST /api/users, GET/PATCH/DELETE /api/users/me, GET /api/admin/users/{id}.
class UserHandlers {
 public:
  explicit UserHandlers(ApiContext& context) : context_(context) {}

  http::Response SignUp(http::Request& request);
  http::Response Me(http::Request& request);
  http::Response UpdateMe(http::Request& request);
  http::Response WithdrawMe(http::Request& request);
  http::Response AdminGetUser(http::Request& request);

 private:
  ApiContext& context_;
};

}  // namespace pillivery::api
