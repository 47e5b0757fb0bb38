#pragma once
#include "domain/user.hpp"
#include "events/outbox_admin.hpp"
#include "http/message.hpp"
#include "infra/clock.hpp"
#include "service/payments/payment_service.hpp"
#include "storage/idempotency_repository.hpp"
#include "storage/subscription_repository.hpp"

namespace pillivery::api {

// Admin views of money and background work: refunds, subscriptions, billing runs, dead letters.
class AdminOpsHandlers {
 public:
  AdminOpsHandlers(service::PaymentService& payments, storage::SubscriptionRepository& subscriptions,
                   events::OutboxAdmin& outbox, storage::IdempotencyRepository& idempotency, const infra::Clock& clock)
      : payments_(payments), subscriptions_(subscriptions), outbox_(outbox), idempotency_(idempotency), clock_(clock) {}

  http::Response Refund(http::Request& request, const domain::Principal& admin);
  http::Response Subscriptions(http::Request& request, const domain::Principal& admin);
  http::Response BatchRuns(http::Request& request, const domain::Principal& admin);
  http::Response DeadEvents(http::Request& request, const domain::Principal& admin);
  http::Response ReplayEvent(http::Request& request, const domain::Principal& admin);

 private:
  service::PaymentService& payments_;
  storage::SubscriptionRepository& subscriptions_;
  events::OutboxAdmin& outbox_;
  storage::IdempotencyRepository& idempotency_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::api
