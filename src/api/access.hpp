#pragma once
// Who may call a route: each row of the route table (routes.cpp) names one
// Access. The same value is enforced here (AccessGuard, before the handler
// runs) and written into the OpenAPI document as the operation's security.
#include "api/auth_middleware.hpp"
#include "api/rate_limits.hpp"
#include "domain/user.hpp"
#include "http/message.hpp"
#include "infra/cidr.hpp"

#include <optional>
#include <string>

namespace pillivery::api {

enum class Access {
  kPublic,    // anyone
  kUser,      // a bearer token of an active account (401)
  kAdmin,     // the same, with the ADMIN role (401, then 403)
  kInternal,  // the billing job: an internal network and the service token (403)
};

class AccessGuard {
 public:
  AccessGuard(Authenticator& authenticator, RateLimits& rate_limits, infra::NetworkList internal_networks,
              std::string internal_token)
      : authenticator_(authenticator),
        rate_limits_(rate_limits),
        internal_networks_(std::move(internal_networks)),
        internal_token_(std::move(internal_token)) {}

  // Throws when the caller may not go on: 429 when `limit`'s client bucket is
  // empty (checked first, so floods never reach token checks), then the
  // access's own refusal, then 429 for the account's bucket. Returns the
  // caller of a user or admin route.
  std::optional<domain::Principal> Admit(Access access, std::optional<LimitedAction> limit,
                                         const http::Request& request) const;

 private:
  void RequireInternalCaller(const http::Request& request) const;

  Authenticator& authenticator_;
  RateLimits& rate_limits_;
  infra::NetworkList internal_networks_;
  std::string internal_token_;
};

}  // namespace pillivery::api
