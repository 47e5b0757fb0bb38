#include "api/user_json.hpp"

#include "api/strict_json.hpp"

#include <boost/json/array.hpp>

namespace pillivery::api {

namespace {
boost::json::value OptionalText(const std::optional<std::string>& text) {
  return text ? boost::json::value(*text) : boost::json::value(nullptr);
}
}  // namespace

boost::json::object UserJson(const domain::User& user) {
  boost::json::array roles, providers;
  for (auto role : user.roles) roles.emplace_back(domain::CodeOf(role));
  for (const auto& identity : user.identities) providers.emplace_back(identity.provider);
  return {{"userId", user.id},
          {"email", OptionalText(user.email)},
          {"displayName", user.display_name},
          {"realName", user.real_name},
          {"phone", OptionalText(user.phone)},
          {"city", user.city},
          {"detailAddress", user.detail_address},
          {"address", {{"city", user.city}, {"detailAddress", user.detail_address}}},
          {"roles", std::move(roles)},
          {"status", domain::CodeOf(user.status)},
          {"hasPassword", user.password_hash.has_value()},
          {"linkedProviders", std::move(providers)},
          {"profileComplete", user.ProfileComplete()},
          {"createdAt", user.created_at}};
}

boost::json::object TokenPairJson(const service::TokenPair& tokens) {
  return {{"accessToken", tokens.access_token},
          {"refreshToken", tokens.refresh_token},
          {"tokenType", "Bearer"},
          {"expiresIn", tokens.expires_in}};
}

domain::SignUpRequest SignUpRequestOf(const boost::json::object& body) {
  domain::Validator types;
  domain::SignUpRequest sign_up;
  sign_up.email = StringField(body, "email", types).value_or("");
  sign_up.password = StringField(body, "password", types).value_or("");
  sign_up.display_name = StringField(body, "displayName", types).value_or("");
  sign_up.real_name = StringField(body, "realName", types).value_or("");
  sign_up.phone = StringField(body, "phone", types).value_or("");
  sign_up.city = StringField(body, "city", types).value_or("");
  sign_up.detail_address = StringField(body, "detailAddress", types).value_or("");
  types.ThrowIfAny();
  return sign_up;
}

}  // namespace pillivery::api
