#pragma once
// The three database steps of a subscription charge — read, claim, record the
// outcome — run in groups for the charges that arrive together (group commit):
// the billing job keeps a few hundred charges in flight, and one statement per
// table then serves a whole group instead of one charge. Each step blocks its
// caller until its group is written (infra::GroupExecutor).
//
// A group's claims and outcomes are written all or nothing, fenced exactly like
// the one-charge forms. When a group's fence does not hold (an attempt claimed
// or closed by another worker, a subscription changed since it was read, an
// item short of stock) nothing of it is kept and each of its charges runs the
// one-charge form, which answers for that charge alone. A group of one runs the
// one-charge form directly. Metrics (with a registry), by step (load, claim, outcome):
//   pillivery_billing_groups_total{step}           groups written
//   pillivery_billing_grouped_charges_total{step}  the charges they held (÷ groups = mean size)
//   pillivery_billing_group_fallbacks_total{step}  groups not kept, their charges run one by one
// The renewals' sales are counted by one sales.count
// event per group, so the outbox handles one event for the group, not one per charge.
#include "events/outbox_writer.hpp"
#include "infra/group_executor.hpp"
#include "storage/subscription_repository.hpp"
#include "storage/unit_of_work.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace prometheus {
class Registry;
}

namespace pillivery::service {

// Appends several outbox events in the caller's unit of work with one statement
// (events::OutboxWriter::AsBatchSink).
using EventBatchSink = std::function<void(storage::UnitOfWork&, const std::vector<events::NewEvent>&)>;

// A finished attempt to record (PAID or declined): what the billing service
// decided, as values.
struct OutcomeRecord {
  storage::Charge* outcome = nullptr;       // its renewal_order_id is set when the renewal is written
  domain::Subscription seen;                // as the charge read it
  domain::CycleRule rule;                   // ApplyPaid, ApplySoftDecline… as a value
  std::optional<storage::Renewal> renewal;  // PAID: its line is also counted as sold
  int stock_back = 0;                       // declined: the claim's reserved quantity
  // The outbox events besides the sales count, from the subscription as saved.
  // A group's sales go in one sales.count event.
  std::function<std::vector<events::NewEvent>(const domain::Subscription&)> events;
};

struct RecordedOutcome {
  bool recorded = false;  // false: another worker had recorded this attempt; nothing was written
  domain::SubscriptionStatus status = domain::SubscriptionStatus::kActive;  // as saved
};

class ChargeGroups {
 public:
  ChargeGroups(storage::Database& db, storage::SubscriptionRepository& subscriptions, EventBatchSink events,
               prometheus::Registry* registry = nullptr, std::size_t max_group = 64);
  ~ChargeGroups();

  std::optional<storage::ChargeContext> Load(const storage::ChargeKey& key);
  // As SubscriptionRepository::InsertClaim.
  storage::SubscriptionRepository::ClaimResult Claim(storage::Charge& claim, std::int64_t item_id, int quantity);
  RecordedOutcome Record(const OutcomeRecord& record);

  // Groups written so far by each step and the charges they held (metrics, tests).
  // A fallback is a group that was not kept and whose charges ran one by one.
  struct Counts {
    std::size_t groups = 0, charges = 0, fallbacks = 0;
  };
  Counts Loads() const { return {loads_.Groups(), loads_.Requests(), 0}; }
  Counts Claims() const { return {claims_.Groups(), claims_.Requests(), claim_fallbacks_}; }
  Counts Outcomes() const { return {outcomes_.Groups(), outcomes_.Requests(), outcome_fallbacks_}; }

 private:
  struct ClaimRequest {
    storage::Charge* claim;
    std::int64_t item_id;
    int quantity;
  };
  using LoadExecutor = infra::GroupExecutor<storage::ChargeKey, std::optional<storage::ChargeContext>>;
  using ClaimExecutor = infra::GroupExecutor<ClaimRequest, storage::SubscriptionRepository::ClaimResult>;
  using OutcomeExecutor = infra::GroupExecutor<const OutcomeRecord*, RecordedOutcome>;

  void LoadGroup(std::span<LoadExecutor::Job*> group);
  void ClaimGroup(std::span<ClaimExecutor::Job*> group);
  void RecordGroup(std::span<OutcomeExecutor::Job*> group);
  RecordedOutcome RecordOne(const OutcomeRecord& record);

  struct Metrics;
  storage::Database& db_;
  storage::SubscriptionRepository& subscriptions_;
  EventBatchSink events_;
  std::unique_ptr<Metrics> metrics_;
  LoadExecutor loads_;
  ClaimExecutor claims_;
  OutcomeExecutor outcomes_;
  std::atomic<std::size_t> claim_fallbacks_{0}, outcome_fallbacks_{0};
};

}  // namespace pillivery::service
