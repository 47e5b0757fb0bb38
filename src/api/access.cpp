#include "api/access.hpp"

#include <sodium.h>

namespace pillivery::api {

using domain::Error;
using domain::ErrorCode;

void AccessGuard::RequireInternalCaller(const http::Request& request) const {
  if (!internal_networks_.Contains(request.client_address))
    throw Error(ErrorCode::kForbidden, "Internal endpoints answer internal networks only.");
  auto header = request.HeaderValue("X-Internal-Token").value_or("");
  // Constant-time comparison: the token is a shared secret.
  bool ok = header.size() == internal_token_.size() && !internal_token_.empty() &&
            sodium_memcmp(header.data(), internal_token_.data(), internal_token_.size()) == 0;
  if (!ok) throw Error(ErrorCode::kForbidden, "A valid internal service token is required.");
}

std::optional<domain::Principal> AccessGuard::Admit(Access access, std::optional<LimitedAction> limit,
                                                    const http::Request& request) const {
  if (limit) {
    rate_limits_.CheckClient(*limit, request);
    if (*limit == LimitedAction::kLogin) rate_limits_.CheckLoginAccount(request);
  }
  std::optional<domain::Principal> caller;
  switch (access) {
    case Access::kPublic:
      break;
    case Access::kInternal:
      RequireInternalCaller(request);
      break;
    case Access::kUser:
      caller = authenticator_.RequireUser(request);
      break;
    case Access::kAdmin:
      caller = authenticator_.RequireAdmin(request);
      break;
  }
  if (limit && caller) rate_limits_.CheckAccount(*limit, caller->user_id);
  return caller;
}

}  // namespace pillivery::api
