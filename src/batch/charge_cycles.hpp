#pragma once
// The port the billing job charges through: one attempt at one subscription's
// cycle in, what became of it out. Two adapters: HttpChargeCycles (the batch
// host → the API servers' internal endpoint) and InProcessChargeCycles (a
// single node: the billing service in this process). The run (batch_runner)
// decides what to send and counts the answers; an adapter only carries one
// charge and reads its answer.
#include "domain/date.hpp"
#include "domain/subscription.hpp"

#include <atomic>
#include <cstdint>
#include <optional>

namespace pillivery::batch {

// One attempt at one subscription's cycle.
struct Cycle {
  std::int64_t id = 0;
  domain::Date due;
  int attempt = 1;
};

enum class Answer { kPaid, kSoftDeclined, kHardDeclined, kUnknown, kSkipped, kRetryLater, kError };

class ChargeCycles {
 public:
  virtual ~ChargeCycles() = default;
  // Called by every worker of a run at once. `stop` (may be null): once set,
  // an adapter that can abandon a charge in flight does so (kRetryLater: the
  // cycle stays due, the same attempt resolves it later; never charged twice).
  virtual Answer Charge(const Cycle& cycle, const std::atomic<bool>* stop) = 0;
};

// A charge's recorded result as an answer: PAID, the declines, short of stock
// (skipped: retried on a later day or skipped, issue #12 item 10); anything
// else (UNKNOWN, PENDING, unreadable) is unknown, re-sent in a later pass.
Answer AnswerOf(std::optional<domain::ChargeResult> result);

}  // namespace pillivery::batch
