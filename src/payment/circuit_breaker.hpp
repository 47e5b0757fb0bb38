#pragma once
// A count-based circuit breaker (the kakaopay.md settings by default): a
// sliding window over the last N calls started, evaluated once at least the
// minimum of them have finished; when failures reach the threshold share of
// the calls in the window it opens, refuses calls for the open duration, then
// lets a fixed number of trial calls through (half-open) and closes or
// re-opens on their failure rate. Time comes from an injected infra::Clock.
//
// Why calls started, not results in the order they arrive: under a burst,
// failures that come back at once (a refused connection) arrive long before
// the successes of the calls started with them (a 2 s approval). Counting
// arrivals, a 20% failure rate opened the breaker as soon as 20 fast failures
// were in; counting the calls started, still-running ones are "not failed".
// One call at a time, both definitions agree.
#include "infra/clock.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace pillivery::payment {

enum class CircuitState { kClosed = 0, kOpen = 1, kHalfOpen = 2 };  // values are the metric's
const char* CircuitStateName(CircuitState state);

struct CircuitBreakerSettings {
  int window_size = 40;
  int minimum_calls = 20;
  double failure_rate_threshold = 0.6;  // opens at >= this
  std::chrono::milliseconds open_duration{10'000};
  int half_open_trial_calls = 10;
};

class CircuitBreaker {
 public:
  // A ticket for one call. It belongs to the breaker period it was issued in:
  // a result that comes back after the state changed is ignored, so a slow call
  // from before the breaker opened cannot count as a half-open trial.
  struct Permit {
    std::uint64_t epoch = 0;
    std::uint64_t call = 0;  // the order it started in (closed state)
  };
  // Called under the breaker's lock, so transitions are seen in order; it must
  // not call back into the breaker.
  using Listener = std::function<void(CircuitState from, CircuitState to)>;

  CircuitBreaker(CircuitBreakerSettings settings, const infra::Clock& clock, Listener on_transition = {});

  // nullopt while open (or while every half-open trial is taken).
  std::optional<Permit> TryAcquire();
  void OnSuccess(const Permit& permit) { Record(permit, false); }
  void OnFailure(const Permit& permit) { Record(permit, true); }
  // The permitted call never happened (e.g. no bulkhead slot): give the trial back.
  void Release(const Permit& permit);

  CircuitState State();
  // How long until an open breaker lets trial calls through (0 unless open).
  std::chrono::milliseconds RemainingOpen();

 private:
  void Record(const Permit& permit, bool failed);
  // These need mutex_ held.
  void MaybeHalfOpenLocked();
  void TransitionLocked(CircuitState to);
  void ClearWindowLocked();

  const CircuitBreakerSettings settings_;
  const infra::Clock& clock_;
  Listener on_transition_;

  std::mutex mutex_;
  CircuitState state_ = CircuitState::kClosed;
  std::uint64_t epoch_ = 1;
  // Closed: ring of the last window_size calls started, by call number.
  enum class Slot : std::uint8_t { kRunning, kSucceeded, kFailed, kNotMade };
  std::vector<Slot> window_;
  std::vector<std::uint64_t> slot_call_;
  std::uint64_t next_call_ = 0;
  int recorded_ = 0;  // finished calls in the window
  int failures_ = 0;  // failed calls in the window
  int not_made_ = 0;  // released permits in the window (not calls at all)
  std::chrono::steady_clock::time_point opened_at_{};
  // Half-open: trials handed out and results back.
  int trials_issued_ = 0;
  int trials_done_ = 0;
  int trial_failures_ = 0;
};

}  // namespace pillivery::payment
