#pragma once
// The simulator's clock: real time plus an offset that POST /__clock moves, so
// a test of the 15-minute ready expiry need not wait 15 minutes.
#include "infra/clock.hpp"

#include <atomic>
#include <chrono>

namespace pillivery::simulator {

class OffsetClock final : public infra::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return real_.Now() + Offset(); }
  std::chrono::steady_clock::time_point Steady() const override { return real_.Steady() + Offset(); }
  void Advance(std::chrono::milliseconds by) { offset_ms_ += by.count(); }
  void ResetOffset() { offset_ms_ = 0; }
  std::chrono::milliseconds Offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

 private:
  infra::SystemClock real_;
  std::atomic<long long> offset_ms_{0};
};

}  // namespace pillivery::simulator
