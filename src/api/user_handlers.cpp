#include "api/user_handlers.hpp"

#include "api/params.hpp"
#include "api/strict_json.hpp"
#include "api/user_json.hpp"

namespace pillivery::api {

http::Response UserHandlers::SignUp(http::Request& request) {
  auto sign_up = SignUpRequestOf(StrictJsonBody(request));
  std::int64_t id = auth_.SignUp(std::move(sign_up));
  auto response = http::Response::Data(201, boost::json::object{{"userId", id}});
  response.SetHeader("Location", "/api/users/me");
  return response;
}

http::Response UserHandlers::Me(http::Request&, const domain::Principal& principal) {
  return http::Response::Data(200, UserJson(auth_.Profile(principal.user_id)));
}

http::Response UserHandlers::UpdateMe(http::Request& request, const domain::Principal& principal) {
  auto body = StrictJsonBody(request);
  domain::Validator types;
  if (body.contains("email")) types.Add("email", "cannot be changed");
  domain::ProfilePatch patch;
  patch.display_name = StringField(body, "displayName", types);
  patch.real_name = StringField(body, "realName", types);
  patch.phone = StringField(body, "phone", types);
  patch.city = StringField(body, "city", types);
  patch.detail_address = StringField(body, "detailAddress", types);
  patch.password = StringField(body, "password", types);
  patch.current_password = StringField(body, "currentPassword", types);
  types.ThrowIfAny();
  auto user = auth_.UpdateProfile(principal, std::move(patch), request.client_address);
  return http::Response::Data(200, UserJson(user));
}

http::Response UserHandlers::WithdrawMe(http::Request& request, const domain::Principal& principal) {
  std::optional<std::string> password;
  if (!request.body.empty()) {
    auto body = StrictJsonBody(request);
    domain::Validator types;
    password = StringField(body, "password", types);
    types.ThrowIfAny();
  }
  auth_.Withdraw(principal, password, request.client_address);
  return http::Response::NoContent();
}

http::Response UserHandlers::AdminGetUser(http::Request& request, const domain::Principal&) {
  return http::Response::Data(200, UserJson(auth_.Profile(PathId(request, "id"))));
}

}  // namespace pillivery::api
