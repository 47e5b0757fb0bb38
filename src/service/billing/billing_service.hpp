#pragma once
// Charges one subscription cycle exactly once (POST /internal/subscriptions/{id}/charge):
// claim the attempt (a unique row, with the cycle's stock), call the gateway with
// the cycle's partner_order_id and no transaction open, then record the outcome,
// the renewal order, the new dates and the outbox events in one transaction.
// Concurrent charges share their database work (ChargeGroups: group commit).
// An attempt whose outcome is unknown is resolved by sending the same
// partner_order_id again: the gateway's duplicate check (-785) says it was charged.
// Only PAID or -785 resolve it; a decline, a 5xx or no connection on the re-send
// speaks for that send alone, so the attempt stays open (UNKNOWN) until the
// cycle's last retry day has passed.
#include "domain/subscription.hpp"
#include "infra/clock.hpp"
#include "payment/gateway.hpp"
#include "service/billing/charge_groups.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/subscription_repository.hpp"

#include <chrono>

namespace pillivery::service {

struct ChargeCycleRequest {
  std::int64_t subscription_id = 0;
  domain::Date due_date;
  int attempt = 1;
};

struct ChargeCycleResult {
  // The gateway's answer is unknown: the cycle stays open and the next send of
  // the same attempt resolves it (the caller answers "accepted", not "done").
  bool open = false;
  storage::Charge charge;  // result: PAID, SOFT_DECLINED, HARD_DECLINED or UNKNOWN
  domain::SubscriptionStatus subscription_status = domain::SubscriptionStatus::kActive;
};

class BillingService {
 public:
  BillingService(storage::Database& db, storage::SubscriptionRepository& subscriptions, payment::Gateway& gateway,
                 const infra::Clock& clock, EventBatchSink events, prometheus::Registry* registry = nullptr,
                 std::string recurring_cid = "TCSUBSCRIP",
                 std::chrono::milliseconds claim_lease = std::chrono::seconds(90))
      : db_(db),
        subscriptions_(subscriptions),
        gateway_(gateway),
        clock_(clock),
        groups_(db, subscriptions, events, registry),
        recurring_cid_(std::move(recurring_cid)),
        claim_lease_(claim_lease),
        events_(std::move(events)) {}

  // 404 SUBSCRIPTION_NOT_FOUND; 409 SUBSCRIPTION_NOT_CHARGEABLE / CYCLE_MISMATCH /
  // CHARGE_IN_PROGRESS; an attempt short of stock answers 200 with result
  // OUT_OF_STOCK (nothing sent to the gateway; see OutOfStock); 503 PAYMENT_GATEWAY_UNAVAILABLE when nothing
  // could be sent. A repeated request for a finished attempt answers its result.
  ChargeCycleResult ChargeCycle(const ChargeCycleRequest& request);

  const ChargeGroups& Groups() const { return groups_; }

 private:
  // `resending`: this attempt was sent before with an unknown outcome.
  ChargeCycleResult Send(const storage::ChargeContext& context, storage::Charge claim, bool resending);
  // A finished attempt's answer; the subscription's status is read unless given.
  ChargeCycleResult Finished(const storage::Charge& charge,
                             std::optional<domain::SubscriptionStatus> status = std::nullopt);
  std::int64_t NowMs() const;
  // The cycle's stock could not be reserved: the attempt is recorded as
  // OUT_OF_STOCK and the cycle retried on the soft-decline days, then skipped.
  ChargeCycleResult OutOfStock(const storage::ChargeContext& context, storage::Charge attempt);

  storage::Database& db_;
  storage::SubscriptionRepository& subscriptions_;
  payment::Gateway& gateway_;
  const infra::Clock& clock_;
  ChargeGroups groups_;
  std::string recurring_cid_;
  std::chrono::milliseconds claim_lease_;
  EventBatchSink events_;  // the out-of-stock notices (charges' events go through groups_)
};

}  // namespace pillivery::service
