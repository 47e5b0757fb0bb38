#pragma once
// The business clock: "now" and "today" of every business rule (billing,
// expiry, retries, notices, the billing scheduler). Normally the base clock;
// with the test clock on (PILLIVERY_TEST_CLOCK=true) the base clock plus an
// offset that only moves forward. The offset is shared by every process of one
// database: `read_offset` fetches it (from storage; infra itself runs no SQL),
// Sync() applies it, and the owner calls Sync() periodically and before
// decisions that must agree across processes. Authentication, the outbox and
// the gateway's breaker keep the real clock.
#include "infra/clock.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

namespace pillivery::infra {

class BusinessClock final : public Clock {
 public:
  using OffsetReader = std::function<std::optional<std::chrono::milliseconds>()>;
  // Without a reader the offset stays zero: the base clock as it is.
  BusinessClock(const Clock& base, OffsetReader read_offset = {}) : base_(base), read_offset_(std::move(read_offset)) {}

  std::chrono::system_clock::time_point Now() const override { return base_.Now() + Offset(); }
  // Timeouts and intervals are real durations: never shifted.
  std::chrono::steady_clock::time_point Steady() const override { return base_.Steady(); }
  // Reads the shared offset; a failed read keeps the last one (logged by the reader).
  void Sync() const override {
    if (!read_offset_) return;
    if (auto offset = read_offset_()) Apply(*offset);
  }
  // Never backwards: a stale read cannot undo a newer offset already applied.
  void Apply(std::chrono::milliseconds offset) const {
    long long seen = offset_ms_.load();
    while (offset.count() > seen && !offset_ms_.compare_exchange_weak(seen, offset.count())) {
    }
  }
  std::chrono::milliseconds Offset() const { return std::chrono::milliseconds(offset_ms_.load()); }
  bool Shared() const { return static_cast<bool>(read_offset_); }

 private:
  const Clock& base_;
  OffsetReader read_offset_;
  mutable std::atomic<long long> offset_ms_{0};
};

}  // namespace pillivery::infra
