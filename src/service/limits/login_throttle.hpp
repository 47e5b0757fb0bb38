#pragma once
// Login throttling: 5 failures per email or 20 per client address within 15
// minutes answer 429 LOGIN_THROTTLED with Retry-After. State lives in the
// TokenStore (the database now), so every server of a deployment shares it.
// Emails and addresses are stored only as SHA-256 hashes.
#include "infra/clock.hpp"
#include "storage/token_store.hpp"

#include <chrono>
#include <string_view>

namespace pillivery::service {

struct ThrottleLimits {
  int per_email = 5;
  int per_address = 20;
  std::chrono::seconds window = std::chrono::minutes(15);
};

class LoginThrottle {
 public:
  LoginThrottle(storage::TokenStore& store, const infra::Clock& clock, ThrottleLimits limits = {})
      : store_(store), clock_(clock), limits_(limits) {}

  // Throws domain::RateLimitedError (429 LOGIN_THROTTLED) while either limit is reached.
  void Check(std::string_view normalized_email, std::string_view address);
  void RecordFailure(std::string_view normalized_email, std::string_view address);
  // A success forgives the email's failures (not the address's: one good
  // password must not reopen a spraying address).
  void RecordSuccess(std::string_view normalized_email);

 private:
  std::int64_t Now() const;
  storage::TokenStore& store_;
  const infra::Clock& clock_;
  ThrottleLimits limits_;
};

}  // namespace pillivery::service
