#pragma once
// The owner's subscription operations (product.md §2 Subscriptions).
#include "domain/subscription.hpp"
#include "infra/clock.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/subscription_repository.hpp"

namespace pillivery::service {

struct SubscriptionPatch {
  std::optional<int> period;
  std::optional<int> quantity;
  std::optional<domain::Receiver> delivery_address;  // where future renewals ship
};

class SubscriptionService {
 public:
  SubscriptionService(storage::SubscriptionRepository& subscriptions, const infra::Clock& clock, EventSink events)
      : subscriptions_(subscriptions), clock_(clock), events_(std::move(events)) {}

  storage::SubscriptionPage List(std::int64_t user_id, std::optional<domain::SubscriptionStatus> status,
                                 const domain::PageRequest& page);
  // 404 SUBSCRIPTION_NOT_FOUND when missing or another user's.
  domain::Subscription Get(std::int64_t user_id, std::int64_t id);
  domain::Subscription Update(std::int64_t user_id, std::int64_t id, const SubscriptionPatch& patch);
  domain::Subscription Skip(std::int64_t user_id, std::int64_t id);
  domain::Subscription Pause(std::int64_t user_id, std::int64_t id);
  domain::Subscription Resume(std::int64_t user_id, std::int64_t id);
  // CANCELLED, and the SID is inactivated at the gateway through the outbox.
  domain::Subscription Cancel(std::int64_t user_id, std::int64_t id, std::optional<std::string> reason = std::nullopt);
  storage::ChargePage Charges(std::int64_t user_id, std::int64_t id, const domain::PageRequest& page);
  // Withdrawal, in its transaction: every live subscription of the user becomes
  // CANCELLED, and each SID no longer used is inactivated through the outbox.
  void EndAllOf(soci::session& session, std::int64_t user_id);
  // A full refund of an order that created subscriptions, in its transaction: they
  // end the same way (a renewal order created none, so nothing ends with it).
  void EndAllFromOrder(soci::session& session, std::int64_t order_id);

  domain::Date Today() const;

 private:
  domain::Subscription MutateOwned(std::int64_t user_id, std::int64_t id,
                                   const std::function<void(domain::Subscription&)>& change,
                                   const storage::SubscriptionTx& also = {});
  // After a cancel: the SID is released in the same transaction (inactivated only if no sibling uses it).
  storage::SubscriptionTx SidRelease() const;
  void End(soci::session& session, const storage::EndScope& scope);
  storage::SubscriptionRepository& subscriptions_;
  const infra::Clock& clock_;
  EventSink events_;
};

}  // namespace pillivery::service
