#pragma once
// When a failed event is tried again: exponential backoff with jitter.
#include <chrono>

namespace pillivery::events {

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  double factor = 2.0;
  std::chrono::milliseconds cap{std::chrono::minutes(5)};
  // The delay is drawn from [(1 - jitter) × d, d], so retries of events that failed
  // together spread out without ever waiting longer than the schedule says.
  double jitter = 0.2;
};

// Delay after the failure of attempt `attempts` (1-based): base × factor^(attempts-1),
// capped, then jittered by `unit_random` in [0, 1).
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempts, double unit_random);

}  // namespace pillivery::events
