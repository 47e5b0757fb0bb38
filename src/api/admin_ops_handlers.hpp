#pragma once
#include "domain/user.hpp"
#include "events/outbox_admin.hpp"
#include "http/message.hpp"
#include "service/payment_service.hpp"
#include "storage/subscription_repository.hpp"

namespace pillivery::api {

// Admin views of money and background work: refunds, subscriptions, billing runs, dead letters.
class AdminOpsHandlers {
 public:
  AdminOpsHandlers(service::PaymentService& payments, storage::SubscriptionRepository& subscriptions,
                   events::OutboxAdmin& outbox)
      : payments_(payments), subscriptions_(subscriptions), outbox_(outbox) {}

  http::Response Refund(http::Request& request, const domain::Principal& admin);
  http::Response Subscriptions(http::Request& request, const domain::Principal& admin);
  http::Response BatchRuns(http::Request& request, const domain::Principal& admin);
  http::Response DeadEvents(http::Request& request, const domain::Principal& admin);
  http::Response ReplayEvent(http::Request& request, const domain::Principal& admin);

 private:
  service::PaymentService& payments_;
  storage::SubscriptionRepository& subscriptions_;
  events::OutboxAdmin& outbox_;
};

}  // namespace pillivery::api
