#pragma once
// Resilience around any Gateway, with the kakaopay.md settings by default:
//   circuit breaker → bulkhead → inner call, and a retry loop around both that
//   re-sends ONLY after a ConnectFailure (nothing was sent). An error answer is
//   returned as is, and an Unknown outcome is never re-sent: the caller resolves
//   it (lookup, or the same partner_order_id again so -785 stops a double charge).
//
// Refusals are typed outcomes, not exceptions: CircuitOpen while the breaker is
// open, BulkheadFull when no slot freed up in time. Both mean nothing was sent;
// the caller turns them (and a final ConnectFailure) into the 503
// PAYMENT_GATEWAY_UNAVAILABLE with ThrowIfGatewayUnavailable(). Keeping them as
// values lets a batch job (recurring charges) just try the cycle later instead
// of catching exceptions.
#include "infra/clock.hpp"
#include "payment/bulkhead.hpp"
#include "payment/circuit_breaker.hpp"
#include "payment/gateway.hpp"
#include "payment/gateway_metrics.hpp"

#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace pillivery::payment {

struct ResilienceSettings {
  CircuitBreakerSettings breaker;
  int max_attempts = 3;                         // first try included
  std::chrono::milliseconds retry_wait{3'000};  // between attempts
  int max_concurrent_calls = 50;
  std::chrono::milliseconds max_bulkhead_wait{10'000};
};

// Waits between attempts; tests pass one that records instead of sleeping.
using Sleeper = std::function<void(std::chrono::milliseconds)>;
Sleeper ThreadSleeper();

class ResilientGateway final : public Gateway {
 public:
  ResilientGateway(std::shared_ptr<Gateway> inner, ResilienceSettings settings, const infra::Clock& clock,
                   prometheus::Registry& registry, Sleeper sleeper = ThreadSleeper());

  Result<ReadyResponse> Ready(const ReadyRequest& request) override;
  Result<ApproveResponse> Approve(const ApproveRequest& request) override;
  Result<ApproveResponse> ChargeSubscription(const SubscriptionChargeRequest& request) override;
  Result<CancelResponse> Cancel(const CancelRequest& request) override;
  Result<OrderResponse> OrderLookup(const OrderLookupRequest& request) override;
  Result<SidInactivateResponse> InactivateSid(const SidRequest& request) override;
  Result<SidStatusResponse> SidStatus(const SidRequest& request) override;

  CircuitState BreakerState() { return breaker_.State(); }
  int BulkheadInUse() const { return bulkhead_.InUse(); }

 private:
  template <class R, class Call>
  Result<R> Run(Operation op, const std::string& log_id, Call call);

  std::shared_ptr<Gateway> inner_;
  const ResilienceSettings settings_;
  const infra::Clock& clock_;
  Sleeper sleeper_;
  GatewayMetrics metrics_;
  CircuitBreaker breaker_;
  Bulkhead bulkhead_;
};

// Throws domain::Error(kUnavailable, "PAYMENT_GATEWAY_UNAVAILABLE") when the
// request never reached the gateway: CircuitOpen, BulkheadFull or ConnectFailure.
template <class R>
void ThrowIfGatewayUnavailable(const Result<R>& result) {
  if (NothingWasSent(result.Kind())) throw GatewayUnavailableError();
}

}  // namespace pillivery::payment
