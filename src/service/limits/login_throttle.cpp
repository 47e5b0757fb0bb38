#include "service/limits/login_throttle.hpp"

#include "domain/user.hpp"
#include "service/accounts/secure_random.hpp"

#include <algorithm>

namespace pillivery::service {

namespace {
constexpr const char* kEmailScope = "email";
constexpr const char* kAddressScope = "addr";
}  // namespace

std::int64_t LoginThrottle::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

void LoginThrottle::Check(std::string_view normalized_email, std::string_view address) {
  std::int64_t now = Now();
  // A failure counts for `window` seconds: at oldest + window it has left (matches Retry-After).
  std::int64_t since = now - limits_.window.count() + 1;
  std::int64_t retry_after = 0;
  auto check = [&](const char* scope, std::string_view subject, int limit) {
    auto window = store_.LoginFailuresSince(scope, Sha256Hex(subject), since);
    if (window.count >= limit)
      retry_after = std::max(retry_after, std::max<std::int64_t>(1, window.oldest + limits_.window.count() - now));
  };
  check(kEmailScope, normalized_email, limits_.per_email);
  check(kAddressScope, address, limits_.per_address);
  if (retry_after > 0)
    throw domain::RateLimitedError(domain::ErrorCode::kLoginThrottled, "Too many failed logins; try again later.",
                                   retry_after);
}

void LoginThrottle::RecordFailure(std::string_view normalized_email, std::string_view address) {
  std::int64_t now = Now();
  store_.RecordLoginFailure(kEmailScope, Sha256Hex(normalized_email), now);
  store_.RecordLoginFailure(kAddressScope, Sha256Hex(address), now);
}

void LoginThrottle::RecordSuccess(std::string_view normalized_email) {
  store_.ClearLoginFailures(kEmailScope, Sha256Hex(normalized_email));
}

}  // namespace pillivery::service
