#pragma once
// The test clock (issue #12 item 12): an admin reads and moves the business
// clock forward. Only built when PILLIVERY_TEST_CLOCK=true; the offset lives in
// the database so every process of the store follows it.
#include "domain/date.hpp"
#include "infra/business_clock.hpp"
#include "storage/business_clock_repository.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace pillivery::service {

struct TestClockAdvance {
  std::optional<std::int64_t> days;     // 1..kMaxAdvanceDays
  std::optional<std::int64_t> minutes;  // 1..kMaxAdvanceMinutes
};

struct TestClockView {
  std::string now;  // ISO 8601 in the business zone
  domain::Date today;
  std::int64_t offset_ms = 0;
};

class TestClockService {
 public:
  static constexpr std::int64_t kMaxAdvanceDays = 366;
  static constexpr std::int64_t kMaxAdvanceMinutes = 7 * 24 * 60;
  static constexpr std::int64_t kMaxOffsetDays = 3660;  // ten years ahead at most

  TestClockService(storage::BusinessClockRepository& offsets, const infra::BusinessClock& clock)
      : offsets_(offsets), clock_(clock) {}

  // The business clock after re-reading the shared offset.
  TestClockView Read();
  // Exactly one of days or minutes, positive and bounded (400 VALIDATION_FAILED);
  // 422 TEST_CLOCK_LIMIT past kMaxOffsetDays. Forward only.
  TestClockView Advance(const TestClockAdvance& request);

 private:
  storage::BusinessClockRepository& offsets_;
  const infra::BusinessClock& clock_;
};

}  // namespace pillivery::service
