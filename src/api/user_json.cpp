#include "api/user_json.hpp"

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

}  // namespace pillivery::api
