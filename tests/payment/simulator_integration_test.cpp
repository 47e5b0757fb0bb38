// KakaoPayClient and ResilientGateway against the real pg-simulator binary,
// launched once for the suite on a free port and reset before every test.
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "payment/kakaopay_client.hpp"
#include "payment/resilient_gateway.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <boost/json.hpp>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

namespace pillivery::payment {
namespace {

namespace json = boost::json;
using pillivery::testing::BinaryPath;
using pillivery::testing::ChildProcess;
using pillivery::testing::HttpCall;
using std::chrono::milliseconds;

// SSEED SIDs are active in the simulator and chargeable by any user: charges
// without going through the approval page first.
constexpr const char* kSeedSid = "SSEED000000000000001";

std::string QueryParam(const std::string& url, const std::string& name) {
  std::smatch m;
  std::regex re("[?&]" + name + "=([^&#]*)");
  return std::regex_search(url, m, re) ? m[1].str() : "";
}

class SimulatorIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(BinaryPath("pg-simulator"))) return;
    dir_ = new pillivery::testing::TempDir();
    int port = pillivery::testing::FreePort();
    base_ = new std::string("http://127.0.0.1:" + std::to_string(port));
    simulator_ = new ChildProcess(BinaryPath("pg-simulator"), {"--port", std::to_string(port), "--workers", "32"}, {},
                                  dir_->Path() / "sim.log");
    if (!pillivery::testing::WaitForHttp(*base_ + "/__health")) {
      delete simulator_;
      simulator_ = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete simulator_;
    simulator_ = nullptr;
    delete base_;
    base_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    if (!simulator_) GTEST_SKIP() << "pg-simulator is not built or did not start";
    ASSERT_EQ(HttpCall("POST", *base_ + "/__reset").status, 204);
    infra::SetLogStream(&log_);
  }
  void TearDown() override { infra::SetLogStream(nullptr); }

  KakaoPayClientOptions Options(milliseconds response_timeout = milliseconds(5000)) {
    return {*base_ + "/online/v1/payment/", "test-secret-key", milliseconds(2000), response_timeout};
  }
  void Faults(const std::string& config) {
    auto r = HttpCall("POST", *base_ + "/__faults", config, {"Content-Type: application/json"});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  json::array Ledger() { return json::parse(HttpCall("GET", *base_ + "/__ledger").body).at("payments").as_array(); }
  json::object InjectedFaults() {
    return json::parse(HttpCall("GET", *base_ + "/__faults").body).at("injected").as_object();
  }

  ReadyRequest ReadyFor(const std::string& cid, const std::string& order, std::int64_t total = 33000) {
    ReadyRequest r;
    r.cid = cid;
    r.partner_order_id = order;
    r.partner_user_id = "user-1";
    r.item_name = "Omega-3 x2";
    r.quantity = 2;
    r.total_amount = total;
    r.tax_free_amount = 0;
    r.approval_url = "http://shop.test/approve";
    r.cancel_url = "http://shop.test/cancel";
    r.fail_url = "http://shop.test/fail";
    return r;
  }

  // ready → the simulator's approval page with auto=approve → approve.
  Result<ApproveResponse> Pay(Gateway& gateway, const std::string& cid, const std::string& order) {
    auto ready = gateway.Ready(ReadyFor(cid, order));
    EXPECT_TRUE(ready.Ok()) << ready.Describe();
    if (!ready.Ok()) return Unknown{"ready failed"};
    EXPECT_EQ(ready.Response().tid.size(), 20u);
    auto page = HttpCall("GET", ready.Response().next_redirect_pc_url + "?auto=approve");
    EXPECT_EQ(page.status, 302);
    std::string location = page.Header("location");
    EXPECT_EQ(location.rfind("http://shop.test/approve", 0), 0u) << location;
    std::string token = QueryParam(location, "pg_token");
    EXPECT_FALSE(token.empty()) << location;
    return gateway.Approve({cid, ready.Response().tid, order, "user-1", token, std::nullopt, std::nullopt});
  }

  SubscriptionChargeRequest ChargeOf(const std::string& sid, const std::string& order,
                                     const std::string& user = "user-1") {
    SubscriptionChargeRequest r;
    r.cid = kSubscriptionCid;
    r.sid = sid;
    r.partner_order_id = order;
    r.partner_user_id = user;
    r.item_name = "Omega-3 x2";
    r.quantity = 2;
    r.total_amount = 33000;
    r.tax_free_amount = 0;
    return r;
  }

  static pillivery::testing::TempDir* dir_;
  static std::string* base_;
  static ChildProcess* simulator_;
  std::ostringstream log_;
};

pillivery::testing::TempDir* SimulatorIntegrationTest::dir_ = nullptr;
std::string* SimulatorIntegrationTest::base_ = nullptr;
ChildProcess* SimulatorIntegrationTest::simulator_ = nullptr;

TEST_F(SimulatorIntegrationTest, OneTime_ReadyApproveLookupAndCancelPartlyThenFully) {
  KakaoPayClient client(Options());
  auto approved = Pay(client, kOneTimeCid, "order-1");
  ASSERT_TRUE(approved.Ok()) << approved.Describe();
  const ApproveResponse& a = approved.Response();
  EXPECT_EQ(a.aid.size(), 20u);
  EXPECT_FALSE(a.sid.has_value());  // one-time CID: no SID
  EXPECT_EQ(a.partner_order_id, "order-1");
  EXPECT_EQ(a.amount.total, 33000);
  EXPECT_EQ(a.amount.vat, 3000);

  auto looked_up = client.OrderLookup({kOneTimeCid, a.tid});
  ASSERT_TRUE(looked_up.Ok()) << looked_up.Describe();
  EXPECT_EQ(looked_up.Response().status, "SUCCESS_PAYMENT");
  ASSERT_EQ(looked_up.Response().payment_action_details.size(), 1u);
  EXPECT_EQ(looked_up.Response().payment_action_details[0].payment_action_type, "PAYMENT");

  auto partial = client.Cancel({kOneTimeCid, a.tid, 11000, 0, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE(partial.Ok()) << partial.Describe();
  EXPECT_EQ(partial.Response().status, "PART_CANCEL_PAYMENT");
  EXPECT_EQ(partial.Response().canceled_amount.total, 11000);
  EXPECT_EQ(partial.Response().cancel_available_amount.total, 22000);

  auto rest = client.Cancel({kOneTimeCid, a.tid, 22000, 0, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_TRUE(rest.Ok()) << rest.Describe();
  EXPECT_EQ(rest.Response().status, "CANCEL_PAYMENT");
  EXPECT_EQ(rest.Response().cancel_available_amount.total, 0);

  auto again = client.Cancel({kOneTimeCid, a.tid, 1000, 0, std::nullopt, std::nullopt, std::nullopt});
  ASSERT_EQ(again.Kind(), OutcomeKind::kHardDecline) << again.Describe();
  EXPECT_EQ(again.Get<HardDecline>()->code, -784);

  auto final_state = client.OrderLookup({kOneTimeCid, a.tid});
  ASSERT_TRUE(final_state.Ok());
  EXPECT_EQ(final_state.Response().status, "CANCEL_PAYMENT");
  EXPECT_EQ(final_state.Response().payment_action_details.size(), 3u);

  json::array ledger = Ledger();
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0].at("kind").as_string(), "APPROVE");
  EXPECT_EQ(ledger[1].at("kind").as_string(), "CANCEL");
  EXPECT_EQ(ledger[1].at("amount").as_int64(), 11000);
  EXPECT_EQ(ledger[2].at("amount").as_int64(), 22000);
  EXPECT_EQ(log_.str().find("test-secret-key"), std::string::npos);
}

TEST_F(SimulatorIntegrationTest, Subscription_ApproveIssuesSidChargesOnceAndRejectsTheDuplicate) {
  KakaoPayClient client(Options());
  auto first = Pay(client, kSubscriptionCid, "sub-1-cycle-1");
  ASSERT_TRUE(first.Ok()) << first.Describe();
  ASSERT_TRUE(first.Response().sid.has_value());
  std::string sid = *first.Response().sid;
  EXPECT_EQ(sid.size(), 20u);

  auto status = client.SidStatus({kSubscriptionCid, sid});
  ASSERT_TRUE(status.Ok()) << status.Describe();
  EXPECT_TRUE(status.Response().available);
  EXPECT_EQ(status.Response().status, "ACTIVE");

  auto charged = client.ChargeSubscription(ChargeOf(sid, "sub-1-cycle-2"));
  ASSERT_TRUE(charged.Ok()) << charged.Describe();
  EXPECT_NE(charged.Response().tid, first.Response().tid);
  EXPECT_EQ(charged.Response().amount.total, 33000);

  auto duplicate = client.ChargeSubscription(ChargeOf(sid, "sub-1-cycle-2"));
  EXPECT_EQ(duplicate.Kind(), OutcomeKind::kDuplicate) << duplicate.Describe();

  auto wrong_user = client.ChargeSubscription(ChargeOf(sid, "sub-1-cycle-3", "user-2"));
  ASSERT_EQ(wrong_user.Kind(), OutcomeKind::kHardDecline);
  EXPECT_EQ(wrong_user.Get<HardDecline>()->code, -753);

  auto inactive = client.InactivateSid({kSubscriptionCid, sid});
  ASSERT_TRUE(inactive.Ok()) << inactive.Describe();
  EXPECT_EQ(inactive.Response().status, "INACTIVE");
  EXPECT_FALSE(inactive.Response().inactivated_at.empty());
  auto after = client.SidStatus({kSubscriptionCid, sid});
  ASSERT_TRUE(after.Ok());
  EXPECT_FALSE(after.Response().available);

  auto refused = client.ChargeSubscription(ChargeOf(sid, "sub-1-cycle-3"));
  ASSERT_EQ(refused.Kind(), OutcomeKind::kHardDecline) << refused.Describe();
  EXPECT_EQ(refused.Get<HardDecline>()->code, -751);

  json::array ledger = Ledger();
  ASSERT_EQ(ledger.size(), 2u);  // the first cycle and one recurring charge, no duplicate
  EXPECT_EQ(ledger[1].at("kind").as_string(), "SUBSCRIPTION");
  EXPECT_EQ(ledger[1].at("partner_order_id").as_string(), "sub-1-cycle-2");
}

TEST_F(SimulatorIntegrationTest, Charge_WhenGatewayForcesInsufficientBalance_IsSoftDeclineThenSucceeds) {
  Faults(std::string(R"({"forcedErrors":[{"sid":")") + kSeedSid +
         R"(","errorCode":-782,"methodResultCode":"INSUFFICIENT_BALANCE","times":1}]})");
  KakaoPayClient client(Options());
  auto declined = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-1"));
  ASSERT_EQ(declined.Kind(), OutcomeKind::kSoftDecline) << declined.Describe();
  EXPECT_EQ(declined.Get<SoftDecline>()->code, -782);
  EXPECT_EQ(declined.Get<SoftDecline>()->method_result_code, "INSUFFICIENT_BALANCE");
  EXPECT_TRUE(Ledger().empty());
  EXPECT_TRUE(client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-1")).Ok());
}

TEST_F(SimulatorIntegrationTest, Charge_WhenGatewayForcesAStolenCard_IsHardDecline) {
  Faults(std::string(R"({"forcedErrors":[{"sid":")") + kSeedSid +
         R"(","errorCode":-782,"methodResultCode":"CARD_STOLEN","times":1}]})");
  KakaoPayClient client(Options());
  auto declined = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-1"));
  ASSERT_EQ(declined.Kind(), OutcomeKind::kHardDecline) << declined.Describe();
  EXPECT_EQ(declined.Get<HardDecline>()->method_result_code, "CARD_STOLEN");
}

TEST_F(SimulatorIntegrationTest, Charge_WhenResponseIsLost_IsUnknownAndTheLedgerShowsTheCharge) {
  Faults(R"({"forcedErrors":[{"partnerOrderId":"seed-cycle-lost","fault":"lostResponse"}]})");
  prometheus::Registry registry;
  infra::ManualClock clock;
  int sleeps = 0;
  ResilientGateway gateway(std::make_shared<KakaoPayClient>(Options()), {}, clock, registry,
                           [&](milliseconds) { ++sleeps; });
  auto lost = gateway.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-lost"));
  ASSERT_EQ(lost.Kind(), OutcomeKind::kUnknown) << lost.Describe();
  EXPECT_EQ(sleeps, 0);  // never re-sent
  json::array ledger = Ledger();
  ASSERT_EQ(ledger.size(), 1u);  // the money moved although we got no answer
  EXPECT_EQ(ledger[0].at("partner_order_id").as_string(), "seed-cycle-lost");
  // Resolving it: the same partner_order_id again cannot charge twice.
  EXPECT_EQ(gateway.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-lost")).Kind(), OutcomeKind::kDuplicate);
  EXPECT_EQ(Ledger().size(), 1u);
}

TEST_F(SimulatorIntegrationTest, Charge_WhenSimulatorRefusesTheConnection_IsUnknownAndNotResent) {
  // The simulator resets the connection after reading the request (it routes on
  // the body), which a client cannot tell from a lost answer. So: Unknown, not retried.
  Faults(R"({"forcedErrors":[{"partnerOrderId":"seed-cycle-refused","fault":"connectionRefused"}]})");
  prometheus::Registry registry;
  infra::ManualClock clock;
  int sleeps = 0;
  ResilientGateway gateway(std::make_shared<KakaoPayClient>(Options()), {}, clock, registry,
                           [&](milliseconds) { ++sleeps; });
  auto refused = gateway.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-refused"));
  ASSERT_EQ(refused.Kind(), OutcomeKind::kUnknown) << refused.Describe();
  EXPECT_EQ(sleeps, 0);
  EXPECT_EQ(InjectedFaults().at("forced.connectionRefused").as_int64(), 1);
  EXPECT_TRUE(Ledger().empty());
  // Nothing happened, so the cycle charges normally afterwards.
  EXPECT_TRUE(gateway.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-refused")).Ok());
}

TEST_F(SimulatorIntegrationTest, Charge_OnAKeptAliveConnection_WhenResetAfterSending_IsUnknownAndNotResent) {
  // libcurl would quietly re-send a request whose reused connection died: the
  // lost charge would come back as -785 and the refused one as charged.
  Faults(R"({"forcedErrors":[{"partnerOrderId":"seed-cycle-lost","fault":"lostResponse"},)"
         R"({"partnerOrderId":"seed-cycle-refused","fault":"connectionRefused"}]})");
  KakaoPayClient client(Options());
  ASSERT_TRUE(client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-1")).Ok());
  auto lost = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-lost"));
  EXPECT_EQ(lost.Kind(), OutcomeKind::kUnknown) << lost.Describe();
  auto refused = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-refused"));
  EXPECT_EQ(refused.Kind(), OutcomeKind::kUnknown) << refused.Describe();
  // A reset connection is not reused: the next call goes out on a fresh one.
  auto next = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-2"));
  ASSERT_TRUE(next.Ok()) << next.Describe();
  json::array ledger = Ledger();
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[1].at("partner_order_id").as_string(), "seed-cycle-lost");
  EXPECT_EQ(ledger[2].at("partner_order_id").as_string(), "seed-cycle-2");
}

TEST_F(SimulatorIntegrationTest, Client_AfterATimeoutOnAKeptAliveConnection_TheNextCallGetsItsOwnAnswer) {
  KakaoPayClient client(Options(milliseconds(300)));
  ASSERT_TRUE(client.ChargeSubscription(ChargeOf(kSeedSid, "seed-fast-1")).Ok());
  Faults(R"({"latencyMs": 1000})");
  auto slow = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-slow"));
  EXPECT_EQ(slow.Kind(), OutcomeKind::kUnknown) << slow.Describe();
  Faults("{}");
  // The late answer to seed-slow must not be read as this call's.
  auto next = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-fast-2"));
  ASSERT_TRUE(next.Ok()) << next.Describe();
  EXPECT_EQ(next.Response().partner_order_id, "seed-fast-2");
  for (int i = 0; i < 50 && Ledger().size() < 3; ++i) std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(Ledger().size(), 3u);
}

TEST_F(SimulatorIntegrationTest, Charge_WhenSimulatorAnswersServerError_IsServerError) {
  Faults(R"({"forcedErrors":[{"sid":"SSEED000000000000001","fault":"serverError"}]})");
  KakaoPayClient client(Options());
  auto result = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-cycle-1"));
  ASSERT_EQ(result.Kind(), OutcomeKind::kServerError) << result.Describe();
  EXPECT_EQ(result.Get<ServerError>()->http_status, 500);
}

TEST_F(SimulatorIntegrationTest, Client_WhenNothingListens_IsConnectFailureRetriedThreeTimes) {
  int closed_port = pillivery::testing::FreePort();
  KakaoPayClientOptions options = Options();
  options.base_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/online/v1/payment/";
  auto client = std::make_shared<KakaoPayClient>(options);
  EXPECT_EQ(client->ChargeSubscription(ChargeOf(kSeedSid, "c-1")).Kind(), OutcomeKind::kConnectFailure);

  prometheus::Registry registry;
  infra::ManualClock clock;
  std::vector<milliseconds> sleeps;
  ResilientGateway gateway(client, {}, clock, registry, [&](milliseconds wait) { sleeps.push_back(wait); });
  auto result = gateway.ChargeSubscription(ChargeOf(kSeedSid, "c-1"));
  ASSERT_EQ(result.Kind(), OutcomeKind::kConnectFailure) << result.Describe();
  EXPECT_EQ(result.Get<ConnectFailure>()->attempts, 3);
  EXPECT_EQ(sleeps, std::vector<milliseconds>(2, std::chrono::seconds(3)));
  EXPECT_THROW(ThrowIfGatewayUnavailable(result), domain::Error);
}

TEST_F(SimulatorIntegrationTest, Client_WhenGatewayIsSlowerThanTheResponseTimeout_IsUnknown) {
  Faults(R"({"latencyMs": 1500})");
  KakaoPayClient client(Options(milliseconds(300)));
  auto started = std::chrono::steady_clock::now();
  auto result = client.ChargeSubscription(ChargeOf(kSeedSid, "seed-slow"));
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(result.Kind(), OutcomeKind::kUnknown) << result.Describe();
  EXPECT_LT(took, milliseconds(1400));
  // The simulator still does the charge after its latency: exactly why it is Unknown.
  for (int i = 0; i < 50 && Ledger().empty(); ++i) std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(Ledger().size(), 1u);
}

TEST_F(SimulatorIntegrationTest, Breaker_ClosedToOpenToHalfOpenToClosed_AgainstTheSimulator) {
  prometheus::Registry registry;
  infra::ManualClock clock;
  ResilientGateway gateway(std::make_shared<KakaoPayClient>(Options()), {}, clock, registry, [](milliseconds) {});
  Faults(R"({"failureRates": {"serverError": 1.0}})");
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(gateway.ChargeSubscription(ChargeOf(kSeedSid, "b-" + std::to_string(i))).Kind(),
              OutcomeKind::kServerError);
  }
  EXPECT_EQ(gateway.BreakerState(), CircuitState::kOpen);
  EXPECT_EQ(gateway.ChargeSubscription(ChargeOf(kSeedSid, "b-20")).Kind(), OutcomeKind::kCircuitOpen);
  EXPECT_EQ(InjectedFaults().at("serverError").as_int64(), 20);  // the refused call never arrived

  ASSERT_EQ(HttpCall("DELETE", *base_ + "/__faults").status, 200);
  clock.Advance(std::chrono::seconds(10));
  EXPECT_EQ(gateway.BreakerState(), CircuitState::kHalfOpen);
  for (int i = 0; i < 10; ++i) {
    auto trial = gateway.ChargeSubscription(ChargeOf(kSeedSid, "t-" + std::to_string(i)));
    EXPECT_TRUE(trial.Ok()) << trial.Describe();
  }
  EXPECT_EQ(gateway.BreakerState(), CircuitState::kClosed);
  EXPECT_EQ(Ledger().size(), 10u);
}

}  // namespace
}  // namespace pillivery::payment
