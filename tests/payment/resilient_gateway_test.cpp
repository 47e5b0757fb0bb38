// ResilientGateway over a fake inner gateway: retry only on connect failures,
// breaker driven by injected failures, bulkhead with a latch, metrics. A
// ManualClock and a recording sleeper keep every test free of sleeps (the
// bulkhead's bounded wait is real time, kept short).
#include "payment/resilient_gateway.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

namespace pillivery::payment {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Scripted charges; every other operation succeeds.
class FakeGateway final : public Gateway {
 public:
  std::function<Result<ApproveResponse>()> charge = [] { return Success<ApproveResponse>{}; };
  std::atomic<int> charges{0};

  Result<ReadyResponse> Ready(const ReadyRequest&) override { return Success<ReadyResponse>{}; }
  Result<ApproveResponse> Approve(const ApproveRequest&) override { return Success<ApproveResponse>{}; }
  Result<ApproveResponse> ChargeSubscription(const SubscriptionChargeRequest&) override {
    ++charges;
    return charge();
  }
  Result<CancelResponse> Cancel(const CancelRequest&) override { return Success<CancelResponse>{}; }
  Result<OrderResponse> OrderLookup(const OrderLookupRequest&) override { return Success<OrderResponse>{}; }
  Result<SidInactivateResponse> InactivateSid(const SidRequest&) override { return Success<SidInactivateResponse>{}; }
  Result<SidStatusResponse> SidStatus(const SidRequest&) override { return Success<SidStatusResponse>{}; }
};

// A gate the fake's calls wait behind until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void WaitForWaiters(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_ >= count; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int waiting_ = 0;
  bool open_ = false;
};

double MetricValue(prometheus::Registry& registry, const std::string& name,
                   const std::map<std::string, std::string>& labels = {}) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& pair : metric.label) have[pair.name] = pair.value;
      if (have != labels) continue;
      if (family.type == prometheus::MetricType::Counter) return metric.counter.value;
      if (family.type == prometheus::MetricType::Gauge) return metric.gauge.value;
      if (family.type == prometheus::MetricType::Histogram) return static_cast<double>(metric.histogram.sample_count);
    }
  }
  return -1;
}

SubscriptionChargeRequest Charge(const std::string& order = "sub-1-2024-07-01") {
  SubscriptionChargeRequest r;
  r.cid = kSubscriptionCid;
  r.sid = "S1234567890987654321";
  r.partner_order_id = order;
  r.partner_user_id = "user-1";
  r.total_amount = 9900;
  return r;
}

class ResilientGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override { infra::SetLogStream(&log_); }
  void TearDown() override { infra::SetLogStream(nullptr); }

  std::unique_ptr<ResilientGateway> Make(ResilienceSettings settings = {}) {
    return std::make_unique<ResilientGateway>(fake_, settings, clock_, registry_,
                                              [this](milliseconds wait) { sleeps_.push_back(wait); });
  }

  std::ostringstream log_;
  std::shared_ptr<FakeGateway> fake_ = std::make_shared<FakeGateway>();
  infra::ManualClock clock_;
  prometheus::Registry registry_;
  std::vector<milliseconds> sleeps_;
};

TEST_F(ResilientGatewayTest, Retry_WhenConnectFailsEveryTime_TriesThreeTimesThreeSecondsApart) {
  fake_->charge = [] { return ConnectFailure{"connection refused"}; };
  auto gateway = Make();
  auto result = gateway->ChargeSubscription(Charge());
  ASSERT_EQ(result.Kind(), OutcomeKind::kConnectFailure);
  EXPECT_EQ(result.Get<ConnectFailure>()->attempts, 3);
  EXPECT_EQ(fake_->charges, 3);
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{seconds(3), seconds(3)}));
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_retries_total", {{"operation", "subscription"}}), 2);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_calls_total",
                        {{"operation", "subscription"}, {"outcome", "connect_failure"}}),
            1);
  EXPECT_EQ(gateway->BulkheadInUse(), 0);
}

TEST_F(ResilientGatewayTest, Retry_WhenConnectRecovers_ReturnsTheSecondAttempt) {
  fake_->charge = [this]() -> Result<ApproveResponse> {
    if (fake_->charges == 1) return ConnectFailure{"refused"};
    ApproveResponse approved;
    approved.aid = "A2";
    return Success<ApproveResponse>{approved};
  };
  auto result = Make()->ChargeSubscription(Charge());
  ASSERT_TRUE(result.Ok()) << result.Describe();
  EXPECT_EQ(result.Response().aid, "A2");
  EXPECT_EQ(fake_->charges, 2);
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(ResilientGatewayTest, Retry_WhenOutcomeIsUnknown_NeverResends) {
  fake_->charge = [] { return Unknown{"timeout after sending"}; };
  auto result = Make()->ChargeSubscription(Charge());
  EXPECT_EQ(result.Kind(), OutcomeKind::kUnknown);
  EXPECT_EQ(fake_->charges, 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ResilientGatewayTest, Retry_WhenGatewayAnswersWithAnError_NeverResends) {
  auto gateway = Make();
  std::vector<Result<ApproveResponse>> answers{SoftDecline{-782, "INSUFFICIENT_BALANCE", "no money", 400},
                                               HardDecline{-751, "", "inactive", 400}, Duplicate{"duplicate"},
                                               ServerError{500, -1, "internal"}};
  for (const auto& answer : answers) {
    fake_->charges = 0;
    fake_->charge = [answer] { return answer; };
    EXPECT_EQ(gateway->ChargeSubscription(Charge()).Kind(), answer.Kind());
    EXPECT_EQ(fake_->charges, 1) << OutcomeName(answer.Kind());
  }
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ResilientGatewayTest, Retry_AttemptsAndWaitAreConfigurable) {
  fake_->charge = [] { return ConnectFailure{"refused"}; };
  ResilienceSettings settings;
  settings.max_attempts = 5;
  settings.retry_wait = milliseconds(10);
  EXPECT_EQ(Make(settings)->ChargeSubscription(Charge()).Get<ConnectFailure>()->attempts, 5);
  EXPECT_EQ(sleeps_, std::vector<milliseconds>(4, milliseconds(10)));
}

TEST_F(ResilientGatewayTest, Breaker_ClosedToOpenToHalfOpenToClosed_DrivenByInjectedFailures) {
  auto gateway = Make();
  fake_->charge = [] { return Unknown{"HTTP 503 without a gateway error body"}; };
  for (int i = 0; i < 20; ++i) gateway->ChargeSubscription(Charge("o-" + std::to_string(i)));
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kOpen);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_circuit_state"), 1);

  // Open: fails at once, the inner gateway is not called.
  auto refused = gateway->ChargeSubscription(Charge("o-20"));
  ASSERT_EQ(refused.Kind(), OutcomeKind::kCircuitOpen);
  EXPECT_EQ(refused.Get<CircuitOpen>()->retry_after, seconds(10));
  EXPECT_EQ(fake_->charges, 20);
  EXPECT_THROW(ThrowIfGatewayUnavailable(refused), domain::Error);
  EXPECT_NE(log_.str().find(R"("outcome":"circuit_open")"), std::string::npos);

  // Half-open after 10 s; the gateway has recovered; ten good trials close it.
  clock_.Advance(seconds(10));
  fake_->charge = [] { return Success<ApproveResponse>{}; };
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kHalfOpen);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_circuit_state"), 2);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(gateway->ChargeSubscription(Charge("t-" + std::to_string(i))).Ok());
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kClosed);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_circuit_state"), 0);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_calls_total",
                        {{"operation", "subscription"}, {"outcome", "circuit_open"}}),
            1);
}

TEST_F(ResilientGatewayTest, Breaker_WhenTrialsKeepFailing_GoesFromHalfOpenBackToOpen) {
  auto gateway = Make();
  fake_->charge = [] { return ServerError{500, -1, "internal"}; };
  for (int i = 0; i < 20; ++i) gateway->ChargeSubscription(Charge());
  ASSERT_EQ(gateway->BreakerState(), CircuitState::kOpen);
  clock_.Advance(seconds(10));
  for (int i = 0; i < 10; ++i) gateway->ChargeSubscription(Charge());
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kOpen);
  EXPECT_EQ(gateway->ChargeSubscription(Charge()).Kind(), OutcomeKind::kCircuitOpen);
  EXPECT_EQ(fake_->charges, 30);
}

TEST_F(ResilientGatewayTest, Breaker_WhenConnectFailuresPersist_EachAttemptCountsAndOpensIt) {
  fake_->charge = [] { return ConnectFailure{"refused"}; };
  auto gateway = Make();
  for (int i = 0; i < 6; ++i) gateway->ChargeSubscription(Charge());  // 18 attempts
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kClosed);
  auto last = gateway->ChargeSubscription(Charge());  // attempts 19 and 20, then refused
  EXPECT_EQ(last.Kind(), OutcomeKind::kCircuitOpen);
  EXPECT_EQ(fake_->charges, 20);
}

TEST_F(ResilientGatewayTest, Breaker_WhenGatewayOnlyDeclines_StaysClosed) {
  auto gateway = Make();
  fake_->charge = [] { return HardDecline{-751, "", "inactive", 400}; };
  for (int i = 0; i < 40; ++i) gateway->ChargeSubscription(Charge());
  fake_->charge = [] { return SoftDecline{-782, "INSUFFICIENT_BALANCE", "", 400}; };
  for (int i = 0; i < 40; ++i) gateway->ChargeSubscription(Charge());
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kClosed);
}

TEST_F(ResilientGatewayTest, Bulkhead_When51stConcurrentCallFindsNoSlot_WaitsThenFails) {
  ResilienceSettings settings;
  settings.max_bulkhead_wait = milliseconds(200);
  auto gateway = Make(settings);
  Gate gate;
  fake_->charge = [&gate] {
    gate.Wait();
    return Success<ApproveResponse>{};
  };
  std::vector<std::thread> callers;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 50; ++i) {
    callers.emplace_back([&] {
      if (gateway->ChargeSubscription(Charge()).Ok()) ++succeeded;
    });
  }
  gate.WaitForWaiters(50);
  EXPECT_EQ(gateway->BulkheadInUse(), 50);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_bulkhead_in_use"), 50);

  auto started = std::chrono::steady_clock::now();
  auto rejected = gateway->ChargeSubscription(Charge());
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(rejected.Kind(), OutcomeKind::kBulkheadFull);
  EXPECT_GE(waited, milliseconds(200));  // it waited for a slot before giving up
  EXPECT_GE(rejected.Get<BulkheadFull>()->waited, milliseconds(200));
  EXPECT_EQ(fake_->charges, 50);  // the 51st never reached the gateway

  gate.Open();
  for (auto& t : callers) t.join();
  EXPECT_EQ(succeeded, 50);
  EXPECT_EQ(gateway->BulkheadInUse(), 0);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_bulkhead_in_use"), 0);
  EXPECT_EQ(gateway->BreakerState(), CircuitState::kClosed);  // a full bulkhead is not a gateway failure
}

TEST_F(ResilientGatewayTest, Bulkhead_When51stCallWaitsAndASlotFrees_GoesThrough) {
  ResilienceSettings settings;
  settings.max_bulkhead_wait = seconds(20);
  auto gateway = Make(settings);
  Gate gate;
  std::atomic<int> entered{0};
  fake_->charge = [&] {
    if (++entered <= 50) gate.Wait();
    return Success<ApproveResponse>{};
  };
  std::vector<std::thread> callers;
  for (int i = 0; i < 50; ++i) callers.emplace_back([&] { gateway->ChargeSubscription(Charge()); });
  gate.WaitForWaiters(50);
  std::atomic<bool> late_ok{false};
  std::thread late([&] { late_ok = gateway->ChargeSubscription(Charge()).Ok(); });
  gate.Open();
  late.join();
  for (auto& t : callers) t.join();
  EXPECT_TRUE(late_ok);
  EXPECT_EQ(fake_->charges, 51);
}

TEST_F(ResilientGatewayTest, Metrics_CountOutcomesAndDurationsPerOperation) {
  auto gateway = Make();
  gateway->ChargeSubscription(Charge());
  gateway->OrderLookup({kSubscriptionCid, "T1"});
  fake_->charge = [] { return SoftDecline{-782, "EXCEED_LIMIT", "", 400}; };
  gateway->ChargeSubscription(Charge());
  EXPECT_EQ(
      MetricValue(registry_, "pillivery_gateway_calls_total", {{"operation", "subscription"}, {"outcome", "success"}}),
      1);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_calls_total",
                        {{"operation", "subscription"}, {"outcome", "soft_decline"}}),
            1);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_calls_total", {{"operation", "order"}, {"outcome", "success"}}),
            1);
  EXPECT_EQ(MetricValue(registry_, "pillivery_gateway_call_duration_seconds", {{"operation", "subscription"}}), 2);
}

}  // namespace
}  // namespace pillivery::payment
