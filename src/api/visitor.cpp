#include "api/visitor.hpp"

#include "api/auth_middleware.hpp"

namespace pillivery::api {

std::string VisitorKey(const http::Request& request, const service::AuthService& auth) {
  if (auto token = BearerToken(request))
    if (auto user = auth.TokenSubject(*token)) return "u:" + std::to_string(*user);
  return "a:" + request.client_address;
}

}  // namespace pillivery::api
