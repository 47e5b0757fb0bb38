#pragma once
// The gateway's Prometheus metrics, registered on the registry the app passes in:
//   pillivery_gateway_calls_total{operation,outcome}       counter, one per logical call
//   pillivery_gateway_call_duration_seconds{operation}     histogram, including retries
//   pillivery_gateway_retries_total{operation}              counter, re-sends after a connect failure
//   pillivery_gateway_circuit_state                        gauge: 0 closed, 1 open, 2 half-open
//   pillivery_gateway_bulkhead_in_use                      gauge: calls holding a slot
#include "payment/circuit_breaker.hpp"
#include "payment/gateway.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>

namespace pillivery::payment {

class GatewayMetrics {
 public:
  explicit GatewayMetrics(prometheus::Registry& registry);

  void RecordCall(Operation op, OutcomeKind outcome, std::chrono::duration<double> duration);
  void RecordRetry(Operation op);
  void SetCircuitState(CircuitState state);
  void SetBulkheadInUse(int in_use);

 private:
  prometheus::Family<prometheus::Counter>& calls_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Gauge& circuit_state_;
  prometheus::Gauge& bulkhead_in_use_;
};

}  // namespace pillivery::payment
