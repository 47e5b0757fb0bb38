#pragma once
// A calendar date with day arithmetic (proleptic Gregorian), for billing rules
// that live in the business time zone's calendar, not in instants.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pillivery::domain {

class Date {
 public:
  constexpr Date() = default;
  static std::optional<Date> FromYmd(int year, int month, int day);
  static std::optional<Date> Parse(std::string_view text);  // "YYYY-MM-DD", a real date
  static Date FromDays(std::int64_t days_since_epoch);

  std::int64_t DaysSinceEpoch() const { return days_; }
  int Year() const;
  int Month() const;
  int Day() const;
  std::string ToString() const;

  Date AddDays(std::int64_t n) const { return FromDays(days_ + n); }
  std::int64_t DaysUntil(Date other) const { return other.days_ - days_; }
  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the 0 it compares the defaulted <=> with
  auto operator<=>(const Date&) const = default;

 private:
  std::int64_t days_ = 0;  // 1970-01-01 is 0
};

}  // namespace pillivery::domain
