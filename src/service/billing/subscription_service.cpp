#include "service/billing/subscription_service.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;
using domain::Subscription;

namespace {
Error NotFound(std::int64_t id) {
  return Error(ErrorCode::kSubscriptionNotFound, "No subscription with id " + std::to_string(id) + ".");
}
}  // namespace

domain::Date SubscriptionService::Today() const {
  clock_.Sync();  // the test clock may have moved in another process
  return infra::BusinessDate(clock_.Now());
}

storage::SubscriptionPage SubscriptionService::List(std::int64_t user_id,
                                                    std::optional<domain::SubscriptionStatus> status,
                                                    const domain::PageRequest& page) {
  return subscriptions_.List(user_id, status, std::nullopt, page);
}

Subscription SubscriptionService::Get(std::int64_t user_id, std::int64_t id) {
  auto sub = subscriptions_.Find(id);
  if (!sub || sub->user_id != user_id) throw NotFound(id);
  return *sub;
}

Subscription SubscriptionService::MutateOwned(std::int64_t user_id, std::int64_t id,
                                              const std::function<void(Subscription&)>& change, bool releases_sid) {
  {
    storage::UnitOfWork work(db_);
    auto sub = subscriptions_.FindForUpdate(work, id);
    if (!sub || sub->user_id != user_id) throw NotFound(id);
    change(*sub);
    subscriptions_.Save(work, *sub, infra::FormatIsoTime(clock_.Now()));
    if (releases_sid) ReleaseSid(work, *sub);
    work.Commit();
  }
  auto saved = subscriptions_.Find(id);
  if (!saved) throw NotFound(id);
  return *saved;
}

void SubscriptionService::ReleaseSid(storage::UnitOfWork& work, const Subscription& ended) {
  if (!storage::SubscriptionRepository::ReleaseSid(work, ended.sid, infra::FormatIsoTime(clock_.Now()))) return;
  if (events_)
    events_(work, kEventSidInactivate, std::to_string(ended.id),
            {{"subscriptionId", ended.id}, {"sid", ended.sid}, {"userId", ended.user_id}});
}

void SubscriptionService::End(storage::UnitOfWork& work, const storage::EndScope& scope) {
  auto ended = storage::SubscriptionRepository::EndLive(work, scope, infra::FormatIsoTime(clock_.Now()));
  if (!events_) return;
  for (const auto& sid : ended.released_sids) events_(work, kEventSidInactivate, sid, {{"sid", sid}});
}

void SubscriptionService::EndAllOf(storage::UnitOfWork& work, std::int64_t user_id) {
  End(work, {std::nullopt, user_id});
}

void SubscriptionService::EndAllFromOrder(storage::UnitOfWork& work, std::int64_t order_id) {
  End(work, {order_id, std::nullopt});
}

Subscription SubscriptionService::Update(std::int64_t user_id, std::int64_t id, const SubscriptionPatch& patch) {
  if (!patch.period && !patch.quantity && !patch.delivery_address)
    throw Error::Validation({{"period", "give period, quantity and/or deliveryAddress"}});
  auto today = Today();
  return MutateOwned(user_id, id, [&](Subscription& s) {
    if (patch.delivery_address) domain::ChangeDeliveryAddress(s, *patch.delivery_address);
    if (patch.quantity) domain::ChangeQuantity(s, *patch.quantity);
    if (patch.period) domain::ChangePeriod(s, *patch.period, today);
  });
}

Subscription SubscriptionService::Skip(std::int64_t user_id, std::int64_t id) {
  return MutateOwned(user_id, id, [](Subscription& s) { domain::Skip(s); });
}

Subscription SubscriptionService::Pause(std::int64_t user_id, std::int64_t id) {
  return MutateOwned(user_id, id, [](Subscription& s) { domain::Pause(s); });
}

Subscription SubscriptionService::Resume(std::int64_t user_id, std::int64_t id) {
  auto today = Today();
  return MutateOwned(user_id, id, [&](Subscription& s) { domain::Resume(s, today); });
}

Subscription SubscriptionService::Cancel(std::int64_t user_id, std::int64_t id, std::optional<std::string> reason) {
  return MutateOwned(
      user_id, id, [&reason](Subscription& s) { domain::Cancel(s, reason); }, true);
}

storage::ChargePage SubscriptionService::Charges(std::int64_t user_id, std::int64_t id,
                                                 const domain::PageRequest& page) {
  Get(user_id, id);
  return subscriptions_.Charges(id, page);
}

}  // namespace pillivery::service
