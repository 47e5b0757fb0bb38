#pragma once
// Which POSTs are rate limited, by what (docs/security.md): the buckets of
// service::RateLimiter keyed by action and by client address or account.
#include "http/message.hpp"
#include "infra/config.hpp"
#include "service/limits/rate_limiter.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pillivery::api {

enum class LimitedAction { kSignUp, kLogin, kOrder, kPayment, kReview };

class RateLimits {
 public:
  // Parses the config's limits (throws CONFIG_INVALID); config.rate_limits false turns all off.
  RateLimits(const infra::Config& config, service::RateLimiter& limiter);

  // 429 RATE_LIMITED (Retry-After) when the client address's bucket is empty.
  void CheckClient(LimitedAction action, const http::Request& request);
  // The same for the account: a user id, or for login the e-mail it names.
  void CheckAccount(LimitedAction action, std::int64_t user_id);
  void CheckLoginAccount(const http::Request& request);

 private:
  struct Limits {
    std::optional<service::RateLimit> client;
    std::optional<service::RateLimit> account;
  };
  service::RateLimiter& limiter_;
  std::array<Limits, 5> limits_;
};

}  // namespace pillivery::api
