#include "payment/resilient_gateway.hpp"

#include "infra/log.hpp"

#include <thread>

namespace pillivery::payment {

Sleeper ThreadSleeper() {
  return [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); };
}

ResilientGateway::ResilientGateway(std::shared_ptr<Gateway> inner, ResilienceSettings settings,
                                   const infra::Clock& clock, prometheus::Registry& registry, Sleeper sleeper)
    : inner_(std::move(inner)),
      settings_(settings),
      clock_(clock),
      sleeper_(std::move(sleeper)),
      metrics_(registry),
      breaker_(settings.breaker, clock,
               [this](CircuitState from, CircuitState to) {
                 metrics_.SetCircuitState(to);
                 infra::LogWarn("payment gateway circuit breaker",
                                {{"from", CircuitStateName(from)}, {"to", CircuitStateName(to)}});
               }),
      bulkhead_(settings.max_concurrent_calls, settings.max_bulkhead_wait,
                [this](int in_use) { metrics_.SetBulkheadInUse(in_use); }) {
  metrics_.SetCircuitState(CircuitState::kClosed);
  metrics_.SetBulkheadInUse(0);
}

template <class R, class Call>
Result<R> ResilientGateway::Run(Operation op, const std::string& log_id, Call call) {
  auto started = clock_.Steady();
  auto finish = [&](Result<R> result) {
    auto elapsed = std::chrono::duration<double>(clock_.Steady() - started);
    metrics_.RecordCall(op, result.Kind(), elapsed);
    return result;
  };
  // The client logs every exchange it makes; a refusal made no exchange, so it is logged here.
  auto refused = [&](Result<R> result) {
    infra::LogWarn(
        "kakaopay call refused",
        {{"operation", std::string(OperationName(op))},
         {"outcome", std::string(OutcomeName(result.Kind()))},
         {"partner_order_id", log_id},
         {"duration_ms", std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Steady() - started).count()}});
    return finish(std::move(result));
  };

  for (int attempt = 1;; ++attempt) {
    std::optional<CircuitBreaker::Permit> permit = breaker_.TryAcquire();
    if (!permit) return refused(CircuitOpen{breaker_.RemainingOpen()});

    auto wait_started = std::chrono::steady_clock::now();
    if (!bulkhead_.TryEnter()) {
      breaker_.Release(*permit);
      auto waited =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wait_started);
      return refused(BulkheadFull{waited});
    }
    std::optional<Result<R>> result;
    {
      // Gives the slot back when the attempt ends (before any retry wait: a
      // waiting retry holds nothing), and the trial too if the inner gateway throws.
      struct Guard {
        Bulkhead& bulkhead;
        CircuitBreaker& breaker;
        CircuitBreaker::Permit permit;
        bool recorded = false;
        ~Guard() {
          bulkhead.Leave();
          if (!recorded) breaker.Release(permit);
        }
      } guard{bulkhead_, breaker_, *permit};
      result.emplace(call());
      guard.recorded = true;
      if (IsGatewayFailure(result->Kind())) {
        breaker_.OnFailure(*permit);
      } else {
        breaker_.OnSuccess(*permit);
      }
    }

    const auto* connect_failure = result->template Get<ConnectFailure>();
    if (!connect_failure) return finish(std::move(*result));
    if (attempt >= settings_.max_attempts) return finish(ConnectFailure{connect_failure->reason, attempt});
    metrics_.RecordRetry(op);
    sleeper_(settings_.retry_wait);
  }
}

Result<ReadyResponse> ResilientGateway::Ready(const ReadyRequest& request) {
  return Run<ReadyResponse>(Operation::kReady, request.partner_order_id, [&] { return inner_->Ready(request); });
}

Result<ApproveResponse> ResilientGateway::Approve(const ApproveRequest& request) {
  return Run<ApproveResponse>(Operation::kApprove, request.partner_order_id, [&] { return inner_->Approve(request); });
}

Result<ApproveResponse> ResilientGateway::ChargeSubscription(const SubscriptionChargeRequest& request) {
  return Run<ApproveResponse>(Operation::kSubscription, request.partner_order_id,
                              [&] { return inner_->ChargeSubscription(request); });
}

Result<CancelResponse> ResilientGateway::Cancel(const CancelRequest& request) {
  return Run<CancelResponse>(Operation::kCancel, "", [&] { return inner_->Cancel(request); });
}

Result<OrderResponse> ResilientGateway::OrderLookup(const OrderLookupRequest& request) {
  return Run<OrderResponse>(Operation::kOrder, "", [&] { return inner_->OrderLookup(request); });
}

Result<SidInactivateResponse> ResilientGateway::InactivateSid(const SidRequest& request) {
  return Run<SidInactivateResponse>(Operation::kSidInactivate, "", [&] { return inner_->InactivateSid(request); });
}

Result<SidStatusResponse> ResilientGateway::SidStatus(const SidRequest& request) {
  return Run<SidStatusResponse>(Operation::kSidStatus, "", [&] { return inner_->SidStatus(request); });
}

}  // namespace pillivery::payment
