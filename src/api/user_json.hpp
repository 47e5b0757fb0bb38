#pragma once
// Wire shapes of users and token pairs (product.md §2 Auth and users).
#include "domain/user.hpp"
#include "service/accounts/auth_service.hpp"

#include <boost/json/object.hpp>

namespace pillivery::api {

boost::json::object UserJson(const domain::User& user);
// {accessToken, refreshToken, tokenType: "Bearer", expiresIn}
boost::json::object TokenPairJson(const service::TokenPair& tokens);
// The sign-up body's fields; 400 VALIDATION_FAILED naming every one of another
// type. Absent fields are "" so that domain::ValidateSignUp names each missing one.
domain::SignUpRequest SignUpRequestOf(const boost::json::object& body);

}  // namespace pillivery::api
