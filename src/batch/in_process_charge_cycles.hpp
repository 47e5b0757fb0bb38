#pragma once
// The charge-cycle port in one process (single node: `serve`'s own scheduler):
// the billing service is called directly, with no HTTP loop back into the same
// process. The service's answers and refusals become the same Answers the
// HTTP adapter reads from the internal endpoint's statuses.
#include "batch/charge_cycles.hpp"
#include "service/billing/billing_service.hpp"

namespace pillivery::batch {

class InProcessChargeCycles final : public ChargeCycles {
 public:
  explicit InProcessChargeCycles(service::BillingService& billing) : billing_(billing) {}

  // `stop` is not looked at: a charge in flight waits for its gateway call
  // (bounded by the gateway's timeouts), which a process cannot abandon safely.
  Answer Charge(const Cycle& cycle, const std::atomic<bool>* stop) override;

 private:
  service::BillingService& billing_;
};

}  // namespace pillivery::batch
