#pragma once
// Who is looking, for unique-visitor counting: the user id of a valid bearer
// token ("u:42"), otherwise the client address ("a:203.0.113.7"). Cheap (an
// HMAC check, no database), so it may run on an I/O thread.
#include "http/message.hpp"
#include "service/accounts/auth_service.hpp"

#include <string>

namespace pillivery::api {

// The address is the request's client address: the TCP peer, or behind a
// trusted proxy (PILLIVERY_TRUSTED_PROXIES) the client it forwarded for.
std::string VisitorKey(const http::Request& request, const service::AuthService& auth);

}  // namespace pillivery::api
