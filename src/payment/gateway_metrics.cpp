#include "payment/gateway_metrics.hpp"

#include <string>

namespace pillivery::payment {

GatewayMetrics::GatewayMetrics(prometheus::Registry& registry)
    : calls_(prometheus::BuildCounter()
                 .Name("pillivery_gateway_calls_total")
                 .Help("Payment gateway calls by operation and final outcome.")
                 .Register(registry)),
      durations_(prometheus::BuildHistogram()
                     .Name("pillivery_gateway_call_duration_seconds")
                     .Help("Payment gateway call latency by operation, retries included.")
                     .Register(registry)),
      retries_(prometheus::BuildCounter()
                   .Name("pillivery_gateway_retries_total")
                   .Help("Payment gateway calls re-sent after a connection failure.")
                   .Register(registry)),
      circuit_state_(prometheus::BuildGauge()
                         .Name("pillivery_gateway_circuit_state")
                         .Help("Payment gateway circuit breaker: 0 closed, 1 open, 2 half-open.")
                         .Register(registry)
                         .Add({})),
      bulkhead_in_use_(prometheus::BuildGauge()
                           .Name("pillivery_gateway_bulkhead_in_use")
                           .Help("Payment gateway calls currently holding a bulkhead slot.")
                           .Register(registry)
                           .Add({})) {}

void GatewayMetrics::RecordCall(Operation op, OutcomeKind outcome, std::chrono::duration<double> duration) {
  std::string operation(OperationName(op));
  calls_.Add({{"operation", operation}, {"outcome", std::string(OutcomeName(outcome))}}).Increment();
  // Gateway latencies run from a few ms to the 30 s response timeout.
  static const prometheus::Histogram::BucketBoundaries kBuckets{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  durations_.Add({{"operation", operation}}, kBuckets).Observe(duration.count());
}

void GatewayMetrics::RecordRetry(Operation op) {
  retries_.Add({{"operation", std::string(OperationName(op))}}).Increment();
}

void GatewayMetrics::SetCircuitState(CircuitState state) { circuit_state_.Set(static_cast<double>(state)); }

void GatewayMetrics::SetBulkheadInUse(int in_use) { bulkhead_in_use_.Set(in_use); }

}  // namespace pillivery::payment
