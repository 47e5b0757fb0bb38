#pragma once
// POST /internal/subscriptions/{id}/charge: the batch → API servers call that
// charges one subscription cycle. Only from the internal networks (checked by
// the reverse proxy and again here from the peer address) with the service token.
#include "http/message.hpp"
#include "infra/cidr.hpp"
#include "service/billing/billing_service.hpp"

namespace pillivery::api {

class InternalHandlers {
 public:
  InternalHandlers(service::BillingService& billing, infra::NetworkList networks, std::string token)
      : billing_(billing), networks_(std::move(networks)), token_(std::move(token)) {}

  http::Response ChargeCycle(http::Request& request);

 private:
  void RequireInternalCaller(const http::Request& request) const;
  service::BillingService& billing_;
  infra::NetworkList networks_;
  std::string token_;
};

}  // namespace pillivery::api
