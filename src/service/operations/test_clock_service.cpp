#include "service/operations/test_clock_service.hpp"

#include "domain/error.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"

namespace pillivery::service {

using domain::Error;

TestClockView TestClockService::Read() {
  clock_.Sync();
  auto now = clock_.Now();
  return {infra::FormatIsoTime(now), infra::BusinessDate(now), clock_.Offset().count()};
}

TestClockView TestClockService::Advance(const TestClockAdvance& request) {
  domain::Validator v;
  if (request.days.has_value() == request.minutes.has_value())
    v.Add("advanceDays", "give exactly one of advanceDays or advanceMinutes");
  if (request.days)
    v.Check(*request.days >= 1 && *request.days <= kMaxAdvanceDays, "advanceDays",
            "must be from 1 to " + std::to_string(kMaxAdvanceDays) + " (the clock never goes back)");
  if (request.minutes)
    v.Check(*request.minutes >= 1 && *request.minutes <= kMaxAdvanceMinutes, "advanceMinutes",
            "must be from 1 to " + std::to_string(kMaxAdvanceMinutes) + " (the clock never goes back)");
  v.ThrowIfAny();
  const std::chrono::milliseconds delta = request.days
                                              ? std::chrono::milliseconds(std::chrono::hours(24) * *request.days)
                                              : std::chrono::milliseconds(std::chrono::minutes(*request.minutes));
  const auto limit = std::chrono::milliseconds(std::chrono::hours(24) * kMaxOffsetDays);
  auto offset = offsets_.Advance(delta.count(), limit.count(), infra::FormatIsoTime(clock_.Now()));
  if (!offset)
    throw Error(domain::ErrorCode::kTestClockLimit,
                "The test clock is at most " + std::to_string(kMaxOffsetDays) + " days ahead of real time.");
  clock_.Apply(std::chrono::milliseconds(*offset));
  infra::LogInfo("test clock advanced", {{"byMs", static_cast<std::int64_t>(delta.count())}, {"offsetMs", *offset}});
  return Read();
}

}  // namespace pillivery::service
