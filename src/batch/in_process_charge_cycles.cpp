#include "batch/in_process_charge_cycles.hpp"

#include "domain/error.hpp"
#include "infra/log.hpp"
#include "storage/connection_errors.hpp"

namespace pillivery::batch {

namespace {

// The refusals of BillingService::ChargeCycle, read as the HTTP adapter reads
// the statuses they become (404, 409, 503, 429).
Answer AnswerOfRefusal(const domain::Error& error, std::int64_t subscription_id) {
  if (error.Is(domain::ErrorCode::kChargeInProgress)) return Answer::kRetryLater;
  switch (error.Kind()) {
    case domain::ErrorKind::kNotFound:  // gone meanwhile
    case domain::ErrorKind::kConflict:  // not chargeable any more, or another worker moved the cycle on
      return Answer::kSkipped;
    case domain::ErrorKind::kUnavailable:  // nothing could be sent, or the database is busy
    case domain::ErrorKind::kRateLimited:
      return Answer::kRetryLater;
    default:
      infra::LogWarn("charge failed", {{"subscriptionId", subscription_id}, {"code", error.Code()}});
      return Answer::kError;
  }
}

}  // namespace

Answer InProcessChargeCycles::Charge(const Cycle& cycle, const std::atomic<bool>*) {
  try {
    auto result = billing_.ChargeCycle({cycle.id, cycle.due, cycle.attempt});
    return AnswerOf(result.charge.result);
  } catch (const domain::Error& error) {
    return AnswerOfRefusal(error, cycle.id);
  } catch (const std::exception& error) {
    if (auto transient = storage::TransientDatabaseError(error)) return AnswerOfRefusal(*transient, cycle.id);
    throw;  // a bug: the run logs it and counts an error
  }
}

}  // namespace pillivery::batch
