#pragma once
// POST /internal/subscriptions/{id}/charge: the batch → API servers call that
// charges one subscription cycle. Access::kInternal: only from the internal
// networks (checked by the reverse proxy and again by AccessGuard) with the
// service token.
#include "http/message.hpp"
#include "service/billing/billing_service.hpp"

namespace pillivery::api {

class InternalHandlers {
 public:
  explicit InternalHandlers(service::BillingService& billing) : billing_(billing) {}

  http::Response ChargeCycle(http::Request& request);

 private:
  service::BillingService& billing_;
};

}  // namespace pillivery::api
