#include "events/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace pillivery::events {

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempts, double unit_random) {
  double cap = static_cast<double>(policy.cap.count());
  // Computed in double and capped before converting: factor^40 overflows any integer.
  double raw = static_cast<double>(policy.base.count()) * std::pow(policy.factor, std::max(0, attempts - 1));
  double delay = std::min(raw, cap);
  double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  double unit = std::clamp(unit_random, 0.0, 1.0);
  delay *= 1.0 - jitter * unit;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(delay)));
}

}  // namespace pillivery::events
