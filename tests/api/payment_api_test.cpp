// The customer journey through KakaoPay against the real pg-simulator binary, on both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sstream>
#include <thread>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

class PaymentApiTest : public ApiTest {
 protected:
  void SetUp() override {
    simulator_ = std::make_unique<Simulator>(dir_.Path() / "sim.db");
    sim_ = simulator_->BaseUrl();
    config_.kakaopay_base_url = simulator_->PaymentBaseUrl();
    config_.admin_email = "admin@pillivery.test";
    config_.admin_password = "Admin-pass-1234";
    ApiTest::SetUp();
    user_ = SignUpAndLogin();
  }
  void TearDown() override {
    ApiTest::TearDown();
    simulator_.reset();
  }
  std::string SignUpAndLogin() {
    auto r = Send(
        "POST", "/api/users",
        R"({"email":"kim@example.com","password":"Passw0rd!","displayName":"kim","realName":"김","phone":"010-5555-6666","city":"서울","detailAddress":"1"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Login("kim@example.com", "Passw0rd!");
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto r = Send("POST", "/api/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  std::int64_t PlaceOrder(const std::string& type, const std::string& kind, const std::string& line) {
    EXPECT_EQ(Send("POST", "/api/carts/" + kind + "/items", line, {user_}).status, 201);
    auto r = Send(
        "POST", "/api/orders",
        R"({"type":")" + type +
            R"(","fromCart":true,"receiver":{"name":"김","phone":"010-5555-6666","city":"서울","detailAddress":"1"}})",
        {user_});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).at("data").at("orderId").as_int64();
  }
  // ready → the simulator's page with auto=<action> → the redirect back to us, as the browser would.
  HttpResult Pay(std::int64_t order_id, const std::string& action = "approve") {
    auto ready =
        Send("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})", {user_});
    EXPECT_EQ(ready.status, 201) << ready.body;
    std::string page(Json(ready).at("data").at("redirectUrl").at("pc").as_string());
    auto redirect = HttpCall("GET", page + (page.find('?') == std::string::npos ? "?" : "&") + "auto=" + action);
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    std::string location = redirect.Header("location");
    auto path = location.substr(location.find("/api/payments/"));
    last_redirect_ = path;
    return Get(path, {"Accept: application/json"});
  }
  // ready and the simulator's page: the tid and the approval redirect the browser would follow.
  std::pair<std::string, std::string> ReadyAndAuthenticate(std::int64_t order_id) {
    auto ready =
        Send("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})", {user_});
    EXPECT_EQ(ready.status, 201) << ready.body;
    std::string page(Json(ready).at("data").at("redirectUrl").at("pc").as_string());
    std::string tid = page.substr(page.rfind('/') + 1);
    auto redirect = HttpCall("GET", page + "?auto=approve");
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    std::string location = redirect.Header("location");
    return {tid, location.substr(location.find("/api/payments/"))};
  }
  void Faults(const std::string& config) { ASSERT_EQ(HttpCall("POST", sim_ + "/__faults", config).status, 200); }
  // pillivery_gateway_calls_total for one operation and outcome (0 when absent).
  double GatewayCalls(const std::string& operation, const std::string& outcome) {
    std::istringstream metrics(Get("/metrics").body);
    for (std::string line; std::getline(metrics, line);) {
      if (line.rfind("pillivery_gateway_calls_total{", 0) == 0 &&
          line.find("operation=\"" + operation + "\"") != std::string::npos &&
          line.find("outcome=\"" + outcome + "\"") != std::string::npos)
        return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return 0;
  }
  boost::json::array Ledger() { return Json(HttpCall("GET", sim_ + "/__ledger")).at("payments").as_array(); }
  // The outbox runs after the commit: wait for its effect.
  template <typename Done>
  bool Eventually(Done done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string sim_;
  std::unique_ptr<Simulator> simulator_;
  std::string user_;
  std::string last_redirect_;  // the path of Pay's redirect back to us (with its attempt value)
};

TEST_P(PaymentApiTest, OneTimeJourney_ApprovesPaysCountsSalesAndCleansTheCart) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":2})");
  auto approved = Pay(order_id);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Json(approved).at("data").at("status").as_string(), "PAID");
  auto order = Json(Get("/api/orders/" + std::to_string(order_id), {user_})).at("data");
  EXPECT_EQ(order.at("payment").at("provider").as_string(), "KAKAOPAY");
  EXPECT_FALSE(order.at("payment").at("tid").as_string().empty());
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 8);
  EXPECT_TRUE(
      Eventually([&] { return Json(Get("/api/carts/normal", {user_})).at("data").at("lines").as_array().empty(); }));
  // Sales are counted by the outbox after the commit (the cached detail may lag by its TTL).
  EXPECT_TRUE(Eventually([&] {
    storage::Database db(config_.db_url, 1);
    return storage::ItemRepository(db, testing::RealClock()).FindById(1)->sales == 50 + 2;
  }));
  auto ledger = Ledger();
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].at("kind").as_string(), "APPROVE");
  EXPECT_EQ(ledger[0].at("amount").as_int64(), 2 * 27'000);
  // A second approval (a refreshed redirect) changes nothing.
  auto again = Get(last_redirect_, {"Accept: application/json"});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(Ledger().size(), 1u);
  // Without Accept: application/json the browser is sent to the storefront.
  auto browser = Get(last_redirect_);
  EXPECT_EQ(browser.status, 302);
  EXPECT_NE(browser.Header("location").find("result=approved"), std::string::npos);
}

TEST_P(PaymentApiTest, SubscriptionJourney_CreatesSubscriptionsWithTheSid) {
  auto order_id = PlaceOrder("SUBSCRIPTION", "subscription", R"({"itemId":3,"quantity":1,"period":30})");
  auto approved = Pay(order_id);
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto subs = Json(Get("/api/subscriptions", {user_}));
  ASSERT_EQ(subs.at("data").as_array().size(), 1u);
  auto sub = subs.at("data").at(0);
  EXPECT_EQ(sub.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(sub.at("period").as_int64(), 30);
  EXPECT_EQ(sub.at("sourceOrderId").as_int64(), order_id);
  auto ledger = Ledger();
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0].at("cid").as_string(), "TCSUBSCRIP");
  EXPECT_FALSE(ledger[0].at("sid").as_string().empty());

  // Cancel: CANCELLED now, the SID inactivated at the gateway through the outbox.
  auto id = sub.at("subscriptionId").as_int64();
  EXPECT_EQ(Send("POST", "/api/subscriptions/" + std::to_string(id) + "/cancel", "", {user_}).status, 200);
  std::string sid(ledger[0].at("sid").as_string());
  EXPECT_TRUE(Eventually([&] {
    auto status =
        HttpCall("POST", sim_ + "/online/v1/payment/manage/subscription/status",
                 R"({"cid":"TCSUBSCRIP","sid":")" + sid + R"("})", {"Authorization: SECRET_KEY DEV_SECRET_KEY"});
    return status.status == 200 && Json(status).at("status").as_string() == "INACTIVE";
  }));
}

TEST_P(PaymentApiTest, QuitAndFail_LeaveTheOrderAwaitingPayment) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto quit = Pay(order_id, "quit");
  EXPECT_EQ(quit.status, 200) << quit.body;
  EXPECT_EQ(Json(quit).at("data").at("payment").as_string(), "CANCELLED");
  auto fail = Pay(order_id, "fail");
  EXPECT_EQ(Json(fail).at("data").at("payment").as_string(), "FAILED");
  EXPECT_EQ(Json(Get("/api/orders/" + std::to_string(order_id), {user_})).at("data").at("status").as_string(),
            "PENDING_PAYMENT");
  EXPECT_TRUE(Ledger().empty());
  EXPECT_EQ(Pay(order_id).status, 200);  // and it can still be paid
}

TEST_P(PaymentApiTest, Refunds_FullByCancelAndPartialByAdminReconcileWithTheLedger) {
  auto first = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  ASSERT_EQ(Pay(first).status, 200);
  auto cancelled = Send("POST", "/api/orders/" + std::to_string(first) + "/cancel", "", {user_});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "REFUNDED");
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 10);
  EXPECT_TRUE(Eventually([&] {
    for (const auto& p : Ledger())
      if (p.at("kind").as_string() == "CANCEL" && p.at("amount").as_int64() == 27'000) return true;
    return false;
  }));

  auto second = PlaceOrder("ONE_TIME", "normal", R"({"itemId":3,"quantity":2})");  // 22,500
  ASSERT_EQ(Pay(second).status, 200);
  auto admin = Login("admin@pillivery.test", "Admin-pass-1234");
  auto path = "/api/admin/orders/" + std::to_string(second) + "/refund";
  EXPECT_EQ(Send("POST", path, R"({"amount":0})", {admin}).status, 400);
  EXPECT_EQ(Send("POST", path, R"({"amount":100000})", {admin}).status, 422);
  EXPECT_EQ(Send("POST", path, R"({"amount":1000})", {user_}).status, 403);
  auto partial = Send("POST", path, R"({"amount":2500})", {admin});
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(Json(partial).at("data").at("status").as_string(), "PAID");
  EXPECT_EQ(Json(partial).at("data").at("payment").at("refundedAmount").as_int64(), 2'500);
  auto rest = Send("POST", path, R"({"amount":20000})", {admin});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(Json(rest).at("data").at("status").as_string(), "REFUNDED");
  std::int64_t cancelled_total = 0;
  for (const auto& p : Ledger())
    if (p.at("kind").as_string() == "CANCEL") cancelled_total += p.at("amount").as_int64();
  EXPECT_EQ(cancelled_total, 27'000 + 22'500);
  EXPECT_EQ(Send("POST", path, R"({"amount":1})", {admin}).status, 422);
}

TEST_P(PaymentApiTest, Payment_RejectsBadInputAndOtherUsersOrders) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto path = "/api/orders/" + std::to_string(order_id) + "/payment";
  EXPECT_EQ(Send("POST", path, R"({"provider":"TOSS"})", {user_}).status, 400);
  EXPECT_EQ(Send("POST", path, R"({})", {user_}).status, 400);
  EXPECT_EQ(Send("POST", path, R"({"provider":"KAKAOPAY"})").status, 401);
  EXPECT_EQ(Send("POST", "/api/orders/99999/payment", R"({"provider":"KAKAOPAY"})", {user_}).status, 404);
  EXPECT_EQ(Get("/api/payments/kakaopay/approve?orderId=abc&pg_token=x").status, 400);
  EXPECT_EQ(Get("/api/payments/kakaopay/approve?orderId=" + std::to_string(order_id)).status, 400);
  // Without its attempt's value a redirect is nobody's: 404, whether the order exists or not.
  EXPECT_EQ(Get("/api/payments/kakaopay/approve?orderId=" + std::to_string(order_id) + "&pg_token=x").status, 400);
  EXPECT_EQ(
      Get("/api/payments/kakaopay/approve?orderId=" + std::to_string(order_id) + "&attempt=guess&pg_token=x").status,
      404);
  auto admin = Login("admin@pillivery.test", "Admin-pass-1234");
  EXPECT_EQ(Get("/api/admin/events/dead", {admin}).status, 200);
  EXPECT_EQ(Send("POST", "/api/admin/events/424242/replay", "", {admin}).status, 404);
  EXPECT_EQ(Get("/api/admin/subscriptions?dueOn=2026-02-30", {admin}).status, 400);
  EXPECT_EQ(Get("/api/admin/subscriptions?status=ACTIVE", {admin}).status, 200);
  EXPECT_EQ(Get("/api/admin/batch/runs", {admin}).status, 200);
  EXPECT_TRUE(Ledger().empty());
}

TEST_P(PaymentApiTest, Approval_WhenTheAnswerIsLost_ResolvesByLookupWithoutSendingAgain) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto [tid, approve_path] = ReadyAndAuthenticate(order_id);
  Faults(R"({"forcedErrors":[{"tid":")" + tid + R"(","operation":"approve","fault":"lostResponse"}]})");
  auto approved = Get(approve_path, {"Accept: application/json"});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Json(approved).at("data").at("status").as_string(), "PAID");
  EXPECT_EQ(Ledger().size(), 1u);
  EXPECT_EQ(GatewayCalls("approve", "unknown"), 1);
  EXPECT_EQ(GatewayCalls("approve", "success"), 0);  // the lookup said APPROVED: nothing re-sent
  EXPECT_EQ(GatewayCalls("order", "success"), 1);
}

TEST_P(PaymentApiTest, Approval_WhenTheConnectionIsDropped_LooksUpThenSendsAgain) {
  auto order_id = PlaceOrder("SUBSCRIPTION", "subscription", R"({"itemId":3,"quantity":1,"period":30})");
  auto [tid, approve_path] = ReadyAndAuthenticate(order_id);
  Faults(R"({"forcedErrors":[{"tid":")" + tid +
         R"(","operation":"approve","fault":"connectionRefused"},)"
         R"({"tid":")" +
         tid + R"(","operation":"order","fault":"lostResponse"}]})");
  auto approved = Get(approve_path, {"Accept: application/json"});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Json(approved).at("data").at("status").as_string(), "PAID");
  auto ledger = Ledger();
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_FALSE(ledger[0].at("sid").as_string().empty());
  EXPECT_EQ(GatewayCalls("approve", "unknown"), 1);
  EXPECT_EQ(GatewayCalls("order", "unknown"), 1);  // a lookup is a read: asked again
  EXPECT_EQ(GatewayCalls("order", "success"), 1);  // READY: the approve never happened
  EXPECT_EQ(GatewayCalls("approve", "success"), 1);
  EXPECT_EQ(Json(Get("/api/subscriptions", {user_})).at("data").as_array().size(), 1u);
}

TEST_P(PaymentApiTest, Approval_WhenTheOutcomeCannotBeResolved_Answers503AndSendsNoSecondApprove) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto [tid, approve_path] = ReadyAndAuthenticate(order_id);
  Faults(R"({"forcedErrors":[{"tid":")" + tid +
         R"(","operation":"approve","fault":"connectionRefused"},)"
         R"({"tid":")" +
         tid + R"(","operation":"order","fault":"serverError","times":-1}]})");
  auto unresolved = Get(approve_path, {"Accept: application/json"});
  EXPECT_EQ(unresolved.status, 503) << unresolved.body;
  EXPECT_EQ(GatewayCalls("approve", "unknown"), 1);
  EXPECT_EQ(GatewayCalls("approve", "success"), 0);
  // The request's own three lookups; the outbox's resolver, queued by the 503,
  // may have asked again meanwhile (CI saw 6), but never approves a second time.
  EXPECT_GE(GatewayCalls("order", "server_error"), 3);
  EXPECT_TRUE(Ledger().empty());
  // Once the gateway answers again, the customer's retry of the redirect pays.
  ASSERT_EQ(HttpCall("DELETE", sim_ + "/__faults").status, 200);
  auto approved = Get(approve_path, {"Accept: application/json"});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Ledger().size(), 1u);
}

TEST_P(PaymentApiTest, Approval_WhenNothingAnswersAndTheCustomerNeverReturns_TheOutboxSettlesItAsPaid) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto [tid, approve_path] = ReadyAndAuthenticate(order_id);
  // The gateway charges but the answer is lost, and the request's own three lookups fail.
  Faults(R"({"forcedErrors":[{"tid":")" + tid +
         R"(","operation":"approve","fault":"lostResponse"},)"
         R"({"tid":")" +
         tid + R"(","operation":"order","fault":"serverError","times":3}]})");
  EXPECT_EQ(Get(approve_path, {"Accept: application/json"}).status, 503);
  EXPECT_EQ(Ledger().size(), 1u);  // charged at the gateway
  auto order = "/api/orders/" + std::to_string(order_id);
  EXPECT_TRUE(Eventually([&] { return Json(Get(order, {user_})).at("data").at("status").as_string() == "PAID"; }));
  EXPECT_EQ(GatewayCalls("approve", "unknown"), 1);  // never sent twice
  EXPECT_EQ(Ledger().size(), 1u);
}

TEST_P(PaymentApiTest, Approval_WhenTheOrderClosedBeforeTheOutcomeWasKnown_IsRefundedInFull) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  auto [tid, approve_path] = ReadyAndAuthenticate(order_id);
  Faults(R"({"forcedErrors":[{"tid":")" + tid +
         R"(","operation":"approve","fault":"lostResponse"},)"
         R"({"tid":")" +
         tid + R"(","operation":"order","fault":"serverError","times":-1}]})");
  EXPECT_EQ(Get(approve_path, {"Accept: application/json"}).status, 503);
  // Meanwhile the customer gives up: the unpaid order is cancelled and its stock released.
  auto cancelled = Send("POST", "/api/orders/" + std::to_string(order_id) + "/cancel", "", {user_});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "CANCELLED");
  ASSERT_EQ(HttpCall("DELETE", sim_ + "/__faults").status, 200);
  // The outbox's next try sees the charge and gives the money back.
  EXPECT_TRUE(Eventually([&] {
    std::int64_t approved = 0, refunded = 0;
    for (const auto& p : Ledger()) {
      if (p.at("kind").as_string() == "APPROVE") approved += p.at("amount").as_int64();
      if (p.at("kind").as_string() == "CANCEL") refunded += p.at("amount").as_int64();
    }
    return approved == 27'000 && refunded == 27'000;
  }));
}

TEST_P(PaymentApiTest, GatewayDown_AnswersPaymentGatewayUnavailable) {
  auto order_id = PlaceOrder("ONE_TIME", "normal", R"({"itemId":1,"quantity":1})");
  simulator_->Stop();
  auto r = Send("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})", {user_});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(Json(r).at("code").as_string(), "PAYMENT_GATEWAY_UNAVAILABLE");
}

INSTANTIATE_TEST_SUITE_P(Engines, PaymentApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
