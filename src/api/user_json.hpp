#pragma once
// Wire shapes of users and token pairs (product.md §2 Auth and users).
#include "domain/user.hpp"
#include "service/accounts/auth_service.hpp"

#include <boost/json/object.hpp>

namespace pillivery::api {

boost::json::object UserJson(const domain::User& user);
// {accessToken, refreshToken, tokenType: "Bearer", expiresIn}
boost::json::object TokenPairJson(const service::TokenPair& tokens);

}  // namespace pillivery::api
