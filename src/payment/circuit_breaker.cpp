#include "payment/circuit_breaker.hpp"

#include <algorithm>

namespace pillivery::payment {

const char* CircuitStateName(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed:
      return "closed";
    case CircuitState::kOpen:
      return "open";
    case CircuitState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerSettings settings, const infra::Clock& clock, Listener on_transition)
    : settings_(settings),
      clock_(clock),
      on_transition_(std::move(on_transition)),
      window_(static_cast<std::size_t>(std::max(1, settings.window_size)), Slot::kRunning),
      slot_call_(window_.size(), 0) {}

void CircuitBreaker::ClearWindowLocked() {
  std::fill(window_.begin(), window_.end(), Slot::kRunning);
  std::fill(slot_call_.begin(), slot_call_.end(), 0);
  next_call_ = 0;
  recorded_ = failures_ = not_made_ = 0;
}

void CircuitBreaker::TransitionLocked(CircuitState to) {
  CircuitState from = state_;
  state_ = to;
  ++epoch_;  // results of calls permitted before this point no longer count
  ClearWindowLocked();
  trials_issued_ = trials_done_ = trial_failures_ = 0;
  if (to == CircuitState::kOpen) opened_at_ = clock_.Steady();
  if (on_transition_) on_transition_(from, to);
}

void CircuitBreaker::MaybeHalfOpenLocked() {
  if (state_ == CircuitState::kOpen && clock_.Steady() - opened_at_ >= settings_.open_duration) {
    TransitionLocked(CircuitState::kHalfOpen);
  }
}

std::optional<CircuitBreaker::Permit> CircuitBreaker::TryAcquire() {
  std::lock_guard lock(mutex_);
  MaybeHalfOpenLocked();
  switch (state_) {
    case CircuitState::kClosed: {
      // The slot's previous call leaves the window.
      std::uint64_t call = next_call_++;
      std::size_t slot = call % window_.size();
      if (call >= window_.size()) {
        if (window_[slot] == Slot::kSucceeded || window_[slot] == Slot::kFailed) --recorded_;
        if (window_[slot] == Slot::kFailed) --failures_;
        if (window_[slot] == Slot::kNotMade) --not_made_;
      }
      window_[slot] = Slot::kRunning;
      slot_call_[slot] = call;
      return Permit{epoch_, call};
    }
    case CircuitState::kOpen:
      return std::nullopt;
    case CircuitState::kHalfOpen:
      if (trials_issued_ >= settings_.half_open_trial_calls) return std::nullopt;
      ++trials_issued_;
      return Permit{epoch_};
  }
  return std::nullopt;
}

void CircuitBreaker::Release(const Permit& permit) {
  std::lock_guard lock(mutex_);
  if (permit.epoch != epoch_) return;
  if (state_ == CircuitState::kHalfOpen && trials_issued_ > 0) --trials_issued_;
  if (state_ != CircuitState::kClosed) return;
  std::size_t slot = permit.call % window_.size();
  if (slot_call_[slot] == permit.call && window_[slot] == Slot::kRunning) {
    window_[slot] = Slot::kNotMade;
    ++not_made_;
  }
}

void CircuitBreaker::Record(const Permit& permit, bool failed) {
  std::lock_guard lock(mutex_);
  if (permit.epoch != epoch_) return;
  if (state_ == CircuitState::kHalfOpen) {
    ++trials_done_;
    if (failed) ++trial_failures_;
    if (trials_done_ < settings_.half_open_trial_calls) return;
    double rate = static_cast<double>(trial_failures_) / trials_done_;
    TransitionLocked(rate >= settings_.failure_rate_threshold ? CircuitState::kOpen : CircuitState::kClosed);
    return;
  }
  if (state_ != CircuitState::kClosed) return;
  std::size_t slot = permit.call % window_.size();
  // A call that has left the window (more than window_size started after it) no longer counts.
  if (slot_call_[slot] != permit.call || window_[slot] != Slot::kRunning) return;
  window_[slot] = failed ? Slot::kFailed : Slot::kSucceeded;
  ++recorded_;
  if (failed) ++failures_;
  if (recorded_ < settings_.minimum_calls) return;
  auto started = static_cast<int>(std::min<std::uint64_t>(next_call_, window_.size())) - not_made_;
  double rate = static_cast<double>(failures_) / std::max(1, started);
  if (rate >= settings_.failure_rate_threshold) TransitionLocked(CircuitState::kOpen);
}

CircuitState CircuitBreaker::State() {
  std::lock_guard lock(mutex_);
  MaybeHalfOpenLocked();
  return state_;
}

std::chrono::milliseconds CircuitBreaker::RemainingOpen() {
  std::lock_guard lock(mutex_);
  MaybeHalfOpenLocked();
  if (state_ != CircuitState::kOpen) return std::chrono::milliseconds{0};
  auto left = settings_.open_duration - (clock_.Steady() - opened_at_);
  return std::chrono::ceil<std::chrono::milliseconds>(left);
}

}  // namespace pillivery::payment
