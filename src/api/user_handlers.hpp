#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/accounts/auth_service.hpp"

namespace pillivery::api {

// POST /api/users, GET/PATCH/DELETE /api/users/me, GET /api/admin/users/{id}.
class UserHandlers {
 public:
  explicit UserHandlers(service::AuthService& auth) : auth_(auth) {}

  http::Response SignUp(http::Request& request);
  http::Response Me(http::Request& request, const domain::Principal& caller);
  http::Response UpdateMe(http::Request& request, const domain::Principal& caller);
  http::Response WithdrawMe(http::Request& request, const domain::Principal& caller);
  http::Response AdminGetUser(http::Request& request, const domain::Principal& admin);

 private:
  service::AuthService& auth_;
};

}  // namespace pillivery::api
