#pragma once
// An injectable clock, so tests of time rules never sleep.
#include "domain/date.hpp"

#include <atomic>
#include <chrono>
#include <string>

namespace pillivery::infra {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
  // Brings a clock shared between processes up to date before a decision that
  // they must agree on (the test clock, kept in the database); may block, so
  // never on an I/O thread. Other clocks have nothing to do.
  virtual void Sync() const {}
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point Steady() const override { return std::chrono::steady_clock::now(); }
};

// A clock the test moves by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start =
                           std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}})
      : offset_(start.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point{std::chrono::system_clock::duration{offset_.load()}};
  }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point{std::chrono::steady_clock::duration{offset_.load()}};
  }
  void Advance(std::chrono::system_clock::duration d) { offset_ += d.count(); }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> offset_;
};

// The business time zone is process-wide (libstdc++ 12 has no tzdb): set once at start.
void SetProcessTimeZone(const std::string& iana_zone);
// "2026-11-25T01:21:28.123+09:00" in the process time zone.
std::string FormatIsoTime(std::chrono::system_clock::time_point t);
// "2026-11-25", the calendar date in the process time zone.
std::string FormatDate(std::chrono::system_clock::time_point t);
// The calendar date of `t` in the process time zone: "today" for billing.
domain::Date BusinessDate(std::chrono::system_clock::time_point t);

}  // namespace pillivery::infra
