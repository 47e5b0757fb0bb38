#pragma once
// The owner's subscription operations (product.md §2 Subscriptions).
#include "domain/subscription.hpp"
#include "infra/clock.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/subscription_repository.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>

namespace pillivery::service {

struct SubscriptionPatch {
  std::optional<int> period;
  std::optional<int> quantity;
  std::optional<domain::Receiver> delivery_address;  // where future renewals ship
};

class SubscriptionService {
 public:
  SubscriptionService(storage::Database& db, storage::SubscriptionRepository& subscriptions, const infra::Clock& clock,
                      EventSink events)
      : db_(db), subscriptions_(subscriptions), clock_(clock), events_(std::move(events)) {}

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
  // Withdrawal, in its unit of work: every live subscription of the user becomes
  // CANCELLED, and each SID no longer used is inactivated through the outbox.
  void EndAllOf(storage::UnitOfWork& work, std::int64_t user_id);
  // A full refund of an order that created subscriptions, in its unit of work: they
  // end the same way (a renewal order created none, so nothing ends with it).
  void EndAllFromOrder(storage::UnitOfWork& work, std::int64_t order_id);

  domain::Date Today() const;

 private:
  // One unit of work: the owner's subscription read under lock, `change` (a
  // domain rule, which may throw) applied, saved; after a cancel its SID is
  // released too (inactivated only if no sibling uses it).
  domain::Subscription MutateOwned(std::int64_t user_id, std::int64_t id,
                                   const std::function<void(domain::Subscription&)>& change, bool releases_sid = false);
  // After a cancel: the SID is inactivated through the outbox only if no sibling uses it.
  void ReleaseSid(storage::UnitOfWork& work, const domain::Subscription& ended);
  void End(storage::UnitOfWork& work, const storage::EndScope& scope);
  storage::Database& db_;
  storage::SubscriptionRepository& subscriptions_;
  const infra::Clock& clock_;
  EventSink events_;
};

}  // namespace pillivery::service
