#include "service/billing/charge_groups.hpp"

#include "service/reactions/event_sink.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <unordered_set>

namespace pillivery::service {

namespace {

// A group can be written as one only when no subscription appears twice in it
// (two requests for one attempt are settled by the one-charge fences).
template <class Jobs, class SubscriptionOf>
bool DistinctSubscriptions(const Jobs& group, SubscriptionOf subscription_of) {
  std::unordered_set<std::int64_t> seen;
  for (const auto* job : group)
    if (!seen.insert(subscription_of(*job)).second) return false;
  return true;
}

// Runs `one` for each job of a group, each answering for itself.
template <class Jobs, class One>
void EachAlone(const Jobs& group, One one) {
  for (auto* job : group) {
    try {
      job->result = one(job->request);
    } catch (...) {
      job->error = std::current_exception();
    }
  }
}

// A renewal order as written, and the line it shipped.
struct Sold {
  std::int64_t order_id;
  const domain::PricedLine* line;
};

// One sales.count event for the renewal orders of a group (or of one charge),
// keyed by the first order; the handler adds each item's quantities in one statement.
// A cycle that ends its subscription (PAYMENT_FAILED), or settles the last open
// attempt of one that ended meanwhile (CANCELLED), releases the SID in the same
// transaction; only when no sibling still uses it is it inactivated.
std::optional<events::NewEvent> SidRelease(storage::UnitOfWork& work, const domain::Subscription& saved,
                                           const std::string& at) {
  if (saved.status != domain::SubscriptionStatus::kPaymentFailed &&
      saved.status != domain::SubscriptionStatus::kCancelled)
    return std::nullopt;
  if (!storage::SubscriptionRepository::ReleaseSid(work, saved.sid, at)) return std::nullopt;
  return events::NewEvent{kEventSidInactivate,
                          std::to_string(saved.id),
                          {{"subscriptionId", saved.id}, {"sid", saved.sid}, {"userId", saved.user_id}}};
}

events::NewEvent SalesEvent(const std::vector<Sold>& sold) {
  boost::json::array items, orders;
  for (const auto& s : sold) {
    items.push_back({{"itemId", s.line->item_id}, {"quantity", s.line->quantity}});
    orders.push_back(s.order_id);
  }
  return {kEventSalesCount,
          std::to_string(sold.front().order_id),
          {{"items", std::move(items)}, {"orderIds", std::move(orders)}}};
}

}  // namespace

struct ChargeGroups::Metrics {
  struct Step {
    prometheus::Counter& groups;
    prometheus::Counter& charges;
    prometheus::Counter& fallbacks;
    void Count(std::size_t size) {
      groups.Increment();
      charges.Increment(static_cast<double>(size));
    }
  };
  explicit Metrics(prometheus::Registry& registry)
      : groups(prometheus::BuildCounter()
                   .Name("pillivery_billing_groups_total")
                   .Help("Groups of concurrent charges written together, by step")
                   .Register(registry)),
        charges(prometheus::BuildCounter()
                    .Name("pillivery_billing_grouped_charges_total")
                    .Help("Charges held by those groups, by step")
                    .Register(registry)),
        fallbacks(prometheus::BuildCounter()
                      .Name("pillivery_billing_group_fallbacks_total")
                      .Help("Groups not kept (a fence failed); their charges ran one by one")
                      .Register(registry)),
        load(StepOf("load")),
        claim(StepOf("claim")),
        outcome(StepOf("outcome")) {}
  Step StepOf(const std::string& step) {
    return {groups.Add({{"step", step}}), charges.Add({{"step", step}}), fallbacks.Add({{"step", step}})};
  }
  prometheus::Family<prometheus::Counter>& groups;
  prometheus::Family<prometheus::Counter>& charges;
  prometheus::Family<prometheus::Counter>& fallbacks;
  Step load, claim, outcome;
};

ChargeGroups::~ChargeGroups() = default;

ChargeGroups::ChargeGroups(storage::Database& db, storage::SubscriptionRepository& subscriptions, EventBatchSink events,
                           prometheus::Registry* registry, std::size_t max_group)
    : db_(db),
      subscriptions_(subscriptions),
      events_(std::move(events)),
      metrics_(registry ? std::make_unique<Metrics>(*registry) : nullptr),
      loads_([this](std::span<LoadExecutor::Job*> group) { LoadGroup(group); }, max_group),
      claims_([this](std::span<ClaimExecutor::Job*> group) { ClaimGroup(group); }, max_group),
      outcomes_([this](std::span<OutcomeExecutor::Job*> group) { RecordGroup(group); }, max_group) {}

std::optional<storage::ChargeContext> ChargeGroups::Load(const storage::ChargeKey& key) { return loads_.Run(key); }

storage::SubscriptionRepository::ClaimResult ChargeGroups::Claim(storage::Charge& claim, std::int64_t item_id,
                                                                 int quantity) {
  return claims_.Run({&claim, item_id, quantity});
}

RecordedOutcome ChargeGroups::Record(const OutcomeRecord& record) { return outcomes_.Run(&record); }

void ChargeGroups::LoadGroup(std::span<LoadExecutor::Job*> group) {
  if (metrics_) metrics_->load.Count(group.size());
  std::vector<storage::ChargeKey> keys;
  keys.reserve(group.size());
  for (const auto* job : group) keys.push_back(job->request);
  auto contexts = subscriptions_.FindForCharges(keys);
  for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = std::move(contexts[i]);
}

void ChargeGroups::ClaimGroup(std::span<ClaimExecutor::Job*> group) {
  if (metrics_) metrics_->claim.Count(group.size());
  auto alone = [this](const ClaimRequest& r) { return subscriptions_.InsertClaim(*r.claim, r.item_id, r.quantity); };
  if (group.size() > 1 &&
      DistinctSubscriptions(group, [](const ClaimExecutor::Job& job) { return job.request.claim->subscription_id; })) {
    std::vector<storage::ClaimRow> rows;
    rows.reserve(group.size());
    for (const auto* job : group) rows.push_back({job->request.claim, job->request.item_id, job->request.quantity});
    try {
      if (subscriptions_.InsertClaims(rows)) {
        for (auto* job : group) job->result = storage::SubscriptionRepository::ClaimResult::kClaimed;
        return;
      }
    } catch (const std::exception&) {
      // A deadlock or a lost connection: nothing was kept; each claim is tried alone.
    }
    ++claim_fallbacks_;
    if (metrics_) metrics_->claim.fallbacks.Increment();
  }
  EachAlone(group, alone);
}

void ChargeGroups::RecordGroup(std::span<OutcomeExecutor::Job*> group) {
  if (metrics_) metrics_->outcome.Count(group.size());
  if (group.size() > 1 &&
      DistinctSubscriptions(group, [](const OutcomeExecutor::Job& job) { return job.request->seen.id; })) {
    std::vector<storage::OutcomeRow> rows(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) {
      const OutcomeRecord& record = *group[i]->request;
      rows[i].outcome = record.outcome;
      rows[i].seen = record.seen;
      rows[i].rule = record.rule;
      rows[i].renewal = record.renewal;
      rows[i].stock_back = record.stock_back;
    }
    try {
      // The whole group in one unit of work: storage writes the outcomes, then
      // the events go with them, then one commit. Nothing is kept unless it all holds.
      storage::UnitOfWork work(db_);
      if (subscriptions_.RecordOutcomes(work, rows)) {
        std::vector<events::NewEvent> all;
        std::vector<Sold> sold;
        for (std::size_t i = 0; i < rows.size(); ++i) {
          if (rows[i].renewal) sold.push_back({*rows[i].outcome->renewal_order_id, &rows[i].renewal->line});
          const OutcomeRecord& record = *group[i]->request;
          if (!record.events) continue;
          auto events = record.events(rows[i].next);
          all.insert(all.end(), std::make_move_iterator(events.begin()), std::make_move_iterator(events.end()));
          if (auto release = SidRelease(work, rows[i].next, rows[i].outcome->at)) all.push_back(std::move(*release));
        }
        if (!sold.empty()) all.push_back(SalesEvent(sold));
        if (events_ && !all.empty()) events_(work, all);  // one statement for the whole group
        work.Commit();
        for (std::size_t i = 0; i < group.size(); ++i) group[i]->result = RecordedOutcome{true, rows[i].next.status};
        return;
      }
    } catch (const std::exception&) {
      // A deadlock or a lost connection: nothing was kept; each outcome is recorded alone.
      for (auto& row : rows) row.outcome->renewal_order_id.reset();
    }
    ++outcome_fallbacks_;
    if (metrics_) metrics_->outcome.fallbacks.Increment();
  }
  EachAlone(group, [this](const OutcomeRecord* record) { return RecordOne(*record); });
}

RecordedOutcome ChargeGroups::RecordOne(const OutcomeRecord& record) {
  RecordedOutcome answer;
  answer.status = record.seen.status;
  storage::OutcomeRow row;
  row.outcome = record.outcome;
  row.seen = record.seen;
  row.rule = record.rule;
  row.renewal = record.renewal;
  row.stock_back = record.stock_back;
  storage::UnitOfWork work(db_);
  if (!subscriptions_.RecordOutcome(work, row)) return answer;  // another worker recorded it: nothing is kept
  answer.status = row.next.status;
  std::vector<events::NewEvent> events;
  if (record.events) events = record.events(row.next);
  if (auto release = SidRelease(work, row.next, record.outcome->at)) events.push_back(std::move(*release));
  if (record.renewal) events.push_back(SalesEvent({{*record.outcome->renewal_order_id, &record.renewal->line}}));
  if (events_ && !events.empty()) events_(work, events);
  work.Commit();
  answer.recorded = true;
  return answer;
}

}  // namespace pillivery::service
