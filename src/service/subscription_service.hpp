#pragma once
// The owner's subscription operations (product.md §2 Subscriptions).
#include "domain/subscription.hpp"
#include "infra/clock.hpp"
#include "service/event_sink.hpp"
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
  // Withdrawal: cancels every open subscription of the user.
  int CancelAllOf(std::int64_t user_id);

  domain::Date Today() const;

 private:
  domain::Subscription MutateOwned(std::int64_t user_id, std::int64_t id,
                                   const std::function<void(domain::Subscription&)>& change,
                                   const storage::SubscriptionTx& also = {});
  storage::SubscriptionTx SidInactivation() const;
  storage::SubscriptionRepository& subscriptions_;
  const infra::Clock& clock_;
  EventSink events_;
};

}  // namespace pillivery::service
