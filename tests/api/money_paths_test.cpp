// Issue #12, defects 1-7: money paths that cross the parts (subscriptions,
// refunds, renewals, redirects, idempotency, withdrawal), driven as a customer
// and an admin would through HTTP, against the real pg-simulator binary, on both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "infra/clock.hpp"
#include "storage/row_reader.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

constexpr const char* kToken = "money-paths-internal-token-0123456789";
const std::string kReceiver = R"({"name":"김","phone":"010-5555-6666","city":"서울","detailAddress":"1"})";

class MoneyPathsTest : public ApiTest {
 protected:
  void SetUp() override {
    infra::SetProcessTimeZone("Asia/Seoul");
    simulator_ = std::make_unique<Simulator>(dir_.Path() / "sim.db");
    sim_ = simulator_->BaseUrl();
    config_.kakaopay_base_url = simulator_->PaymentBaseUrl();
    config_.internal_token = kToken;
    config_.admin_email = "admin@pillivery.test";
    config_.admin_password = "Admin-pass-1234";
    ApiTest::SetUp();
    user_ = SignUp("kim@example.com", "kim", "010-5555-6666");
    admin_ = Login("admin@pillivery.test", "Admin-pass-1234");
  }
  void TearDown() override {
    ApiTest::TearDown();
    simulator_.reset();
  }

  std::string SignUp(const std::string& email, const std::string& name, const std::string& phone) {
    auto r = Send("POST", "/api/users",
                  R"({"email":")" + email + R"(","password":"Passw0rd!","displayName":")" + name +
                      R"(","realName":"김","phone":")" + phone + R"(","city":"서울","detailAddress":"1"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Login(email, "Passw0rd!");
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto r = Send("POST", "/api/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  std::int64_t Order(const std::string& type, const std::string& lines, const std::string& who = "") {
    auto r = Send("POST", "/api/orders",
                  R"({"type":")" + type + R"(","lines":)" + lines + R"(,"receiver":)" + kReceiver + "}",
                  {who.empty() ? user_ : who});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).at("data").at("orderId").as_int64();
  }
  // ready → the simulator's page with auto=<action>: the path of the redirect back to us.
  std::string Redirect(std::int64_t order_id, const std::string& action = "approve", const std::string& who = "") {
    auto ready = Send("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})",
                      {who.empty() ? user_ : who});
    EXPECT_EQ(ready.status, 201) << ready.body;
    std::string page(Json(ready).at("data").at("redirectUrl").at("pc").as_string());
    auto redirect = HttpCall("GET", page + (page.find('?') == std::string::npos ? "?" : "&") + "auto=" + action);
    EXPECT_EQ(redirect.status, 302) << redirect.body;
    std::string location = redirect.Header("location");
    return location.substr(location.find("/api/payments/"));
  }
  HttpResult Pay(std::int64_t order_id, const std::string& who = "") {
    return Get(Redirect(order_id, "approve", who), {"Accept: application/json"});
  }
  boost::json::value OrderOf(std::int64_t id, const std::string& who = "") {
    return Json(Get("/api/orders/" + std::to_string(id), {who.empty() ? user_ : who})).at("data");
  }
  boost::json::array Subscriptions(const std::string& who = "") {
    return Json(Get("/api/subscriptions", {who.empty() ? user_ : who})).at("data").as_array();
  }
  std::string SubscriptionStatus(std::int64_t id) {
    return std::string(
        Json(Get("/api/subscriptions/" + std::to_string(id), {user_})).at("data").at("status").as_string());
  }
  boost::json::array Ledger() { return Json(HttpCall("GET", sim_ + "/__ledger")).at("payments").as_array(); }
  std::int64_t LedgerTotal(const std::string& kind) {
    std::int64_t total = 0;
    for (const auto& p : Ledger())
      if (p.at("kind").as_string() == kind) total += p.at("amount").as_int64();
    return total;
  }
  void Faults(const std::string& json) { ASSERT_EQ(HttpCall("POST", sim_ + "/__faults", json).status, 200) << json; }
  std::string SidStatus(const std::string& sid) {
    auto r = HttpCall("POST", sim_ + "/online/v1/payment/manage/subscription/status",
                      R"({"cid":"TCSUBSCRIP","sid":")" + sid + R"("})", {"Authorization: SECRET_KEY DEV_SECRET_KEY"});
    return r.status == 200 ? std::string(Json(r).at("status").as_string()) : "?";
  }
  std::string SidOfOrder(std::int64_t order_id) {
    for (const auto& p : Ledger())
      if (p.at("partner_order_id").as_string() == "order-" + std::to_string(order_id))
        return std::string(p.at("sid").as_string());
    return "";
  }
  template <typename Done>
  bool Eventually(Done done) {
    for (int i = 0; i < 200; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Every outbox event written so far has been handled (or given up on).
  bool OutboxIdle() {
    return Eventually(
        [&] { return Count("SELECT COUNT(*) FROM outbox_events WHERE status IN ('PENDING', 'PROCESSING')") == 0; });
  }
  std::int64_t Count(const std::string& sql) {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    long long n = 0;
    *lease << sql, soci::into(n);
    return n;
  }
  void Exec(const std::string& sql) {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    *lease << sql;
  }
  static std::string Today() { return infra::FormatDate(std::chrono::system_clock::now()); }
  // The subscription's current cycle falls due today; returns its due date.
  std::string MakeDue(std::int64_t id) {
    Exec("UPDATE subscriptions SET next_payment_date = '" + Today() + "', next_attempt_date = '" + Today() +
         "' WHERE id = " + std::to_string(id));
    return Today();
  }
  HttpResult Charge(std::int64_t id, const std::string& due, int attempt = 1) {
    return Send("POST", "/internal/subscriptions/" + std::to_string(id) + "/charge",
                R"({"dueDate":")" + due + R"(","attempt":)" + std::to_string(attempt) + "}",
                {std::string("X-Internal-Token: ") + kToken,
                 "Idempotency-Key: sub-" + std::to_string(id) + "-" + due + "-" + std::to_string(attempt)});
  }
  // A paid SUBSCRIPTION order of two lines (items 4 and 6): its id and its two subscriptions.
  std::pair<std::int64_t, std::vector<std::int64_t>> PaidSiblings() {
    auto order =
        Order("SUBSCRIPTION", R"([{"itemId":4,"quantity":1,"period":30},{"itemId":6,"quantity":2,"period":60}])");
    auto paid = Pay(order);
    EXPECT_EQ(paid.status, 200) << paid.body;
    std::vector<std::int64_t> ids;
    for (const auto& s : Subscriptions())
      if (s.at("sourceOrderId").as_int64() == order) ids.push_back(s.at("subscriptionId").as_int64());
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids.size(), 2u);
    return {order, ids};
  }

  std::string sim_;
  std::unique_ptr<Simulator> simulator_;
  std::string user_, admin_;
};

// Defect 1.
TEST_P(MoneyPathsTest, SiblingSubscriptions_CancellingOne_KeepsTheSharedSidForTheOther) {
  auto [order, subs] = PaidSiblings();
  ASSERT_EQ(subs.size(), 2u);
  std::string sid = SidOfOrder(order);
  ASSERT_FALSE(sid.empty());
  ASSERT_EQ(Send("POST", "/api/subscriptions/" + std::to_string(subs[0]) + "/cancel", "", {user_}).status, 200);
  ASSERT_TRUE(OutboxIdle());
  EXPECT_EQ(SidStatus(sid), "ACTIVE");  // the sibling still uses it
  auto charged = Charge(subs[1], MakeDue(subs[1]));
  ASSERT_EQ(charged.status, 200) << charged.body;
  EXPECT_EQ(Json(charged).at("data").at("result").as_string(), "PAID");
  EXPECT_EQ(SubscriptionStatus(subs[1]), "ACTIVE");
  // The last one ends: now the SID goes.
  ASSERT_EQ(Send("POST", "/api/subscriptions/" + std::to_string(subs[1]) + "/cancel", "", {user_}).status, 200);
  EXPECT_TRUE(Eventually([&] { return SidStatus(sid) == "INACTIVE"; }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'subscription.sid.inactivate'"), 1);
}

// Defect 2.
TEST_P(MoneyPathsTest, CancellingAPaidSubscriptionOrder_EndsItsSubscriptionsAndTheirSid) {
  auto [order, subs] = PaidSiblings();
  std::string sid = SidOfOrder(order);
  auto cancelled = Send("POST", "/api/orders/" + std::to_string(order) + "/cancel", "", {user_});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "REFUNDED");
  for (auto id : subs) EXPECT_EQ(SubscriptionStatus(id), "CANCELLED") << id;
  EXPECT_TRUE(Eventually([&] { return SidStatus(sid) == "INACTIVE"; }));
  EXPECT_TRUE(
      Eventually([&] { return LedgerTotal("CANCEL") == LedgerTotal("SUBSCRIPTION") + LedgerTotal("APPROVE"); }));
  // Nothing is charged for them any more.
  EXPECT_EQ(Charge(subs[0], MakeDue(subs[0])).status, 409);
}

TEST_P(MoneyPathsTest, AdminRefundOfASubscriptionOrder_PartialKeepsTheSubscriptionsFullEndsThem) {
  auto [order, subs] = PaidSiblings();
  auto total = OrderOf(order).at("totalPrice").as_int64();
  auto path = "/api/admin/orders/" + std::to_string(order) + "/refund";
  auto partial = Send("POST", path, R"({"amount":1000})", {admin_});
  ASSERT_EQ(partial.status, 200) << partial.body;
  for (auto id : subs) EXPECT_EQ(SubscriptionStatus(id), "ACTIVE") << id;
  auto rest = Send("POST", path, R"({"amount":)" + std::to_string(total - 1000) + "}", {admin_});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(Json(rest).at("data").at("status").as_string(), "REFUNDED");
  for (auto id : subs) EXPECT_EQ(SubscriptionStatus(id), "CANCELLED") << id;
  EXPECT_EQ(LedgerTotal("CANCEL"), total);
}

// Defect 3.
TEST_P(MoneyPathsTest, RenewalOrder_HasItsPaymentAndGoesThroughCancelAndRefund) {
  auto [order, subs] = PaidSiblings();
  auto charged = Charge(subs[0], MakeDue(subs[0]));
  ASSERT_EQ(charged.status, 200) << charged.body;
  auto renewal = Json(charged).at("data").at("renewalOrderId").as_int64();
  auto view = OrderOf(renewal);
  ASSERT_TRUE(view.as_object().contains("payment")) << view;
  EXPECT_FALSE(view.at("payment").at("tid").as_string().empty());
  EXPECT_EQ(view.at("payment").at("amount").as_int64(), view.at("totalPrice").as_int64());
  // The customer cancels it before it ships: a full refund at the gateway, exactly once.
  auto cancelled = Send("POST", "/api/orders/" + std::to_string(renewal) + "/cancel", "", {user_});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "REFUNDED");
  EXPECT_EQ(SubscriptionStatus(subs[0]), "ACTIVE");  // a renewal refund does not end the subscription
  EXPECT_TRUE(Eventually([&] { return LedgerTotal("CANCEL") == view.at("totalPrice").as_int64(); }));
  ASSERT_TRUE(OutboxIdle());
  EXPECT_EQ(LedgerTotal("CANCEL"), view.at("totalPrice").as_int64());

  // The sibling's renewal: an admin refunds part of it.
  auto second = Charge(subs[1], MakeDue(subs[1]));
  ASSERT_EQ(second.status, 200) << second.body;
  auto second_id = Json(second).at("data").at("renewalOrderId").as_int64();
  auto partial =
      Send("POST", "/api/admin/orders/" + std::to_string(second_id) + "/refund", R"({"amount":500})", {admin_});
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(Json(partial).at("data").at("payment").at("refundedAmount").as_int64(), 500);
  EXPECT_EQ(LedgerTotal("CANCEL"), view.at("totalPrice").as_int64() + 500);
}

TEST_P(MoneyPathsTest, RenewalSettledByTheDuplicateAnswer_ShowsNoTidAndTakesAnOutsideRefundWithAReason) {
  auto [order, subs] = PaidSiblings();
  auto due = MakeDue(subs[0]);
  // The gateway charges but the answer is lost; the re-send answers -785.
  Faults(R"({"forcedErrors":[{"partnerOrderId":"sub-)" + std::to_string(subs[0]) + "-" + due +
         R"(","operation":"subscription","fault":"lostResponse"}]})");
  EXPECT_EQ(Charge(subs[0], due).status, 202);
  auto settled = Charge(subs[0], due);
  ASSERT_EQ(settled.status, 200) << settled.body;
  auto renewal = Json(settled).at("data").at("renewalOrderId").as_int64();
  auto payment = OrderOf(renewal).at("payment");
  EXPECT_TRUE(payment.at("tid").is_null()) << payment;
  EXPECT_EQ(payment.at("settledBy").as_string(), "DUPLICATE_ANSWER");

  auto path = "/api/admin/orders/" + std::to_string(renewal) + "/refund";
  auto through_gateway = Send("POST", path, R"({"amount":1000})", {admin_});
  EXPECT_EQ(through_gateway.status, 409) << through_gateway.body;
  EXPECT_EQ(Json(through_gateway).at("code").as_string(), "REFUND_OUTSIDE_GATEWAY_REQUIRED");
  EXPECT_EQ(Send("POST", path, R"({"amount":1000,"outsideGateway":true})", {admin_}).status, 400);  // no reason
  auto outside = Send("POST", path, R"({"amount":1000,"outsideGateway":true,"reason":"bank transfer #77"})", {admin_});
  ASSERT_EQ(outside.status, 200) << outside.body;
  EXPECT_EQ(Json(outside).at("data").at("payment").at("refundedAmount").as_int64(), 1000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 0);  // nothing went through the gateway
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM payment_refunds WHERE channel = 'OUTSIDE_GATEWAY' AND reason = 'bank transfer #77'"),
      1);
}

// Defect 4.
TEST_P(MoneyPathsTest, RedirectUrls_WithoutTheAttemptValue_ChangeNothingAndRevealNothing) {
  auto paid = Order("ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  ASSERT_EQ(Pay(paid).status, 200);
  auto peek = Get("/api/payments/kakaopay/approve?orderId=" + std::to_string(paid) + "&pg_token=anything",
                  {"Accept: application/json"});
  EXPECT_GE(peek.status, 400);
  EXPECT_EQ(peek.body.find("010-5555-6666"), std::string::npos) << peek.body;
  EXPECT_EQ(peek.body.find("\"tid\""), std::string::npos) << peek.body;

  // A stranger's cancel / fail / junk approve of someone's pending attempt spoils nothing.
  auto pending = Order("ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  auto approve_path = Redirect(pending);
  auto id = std::to_string(pending);
  EXPECT_GE(Get("/api/payments/kakaopay/cancel?orderId=" + id, {"Accept: application/json"}).status, 400);
  EXPECT_GE(Get("/api/payments/kakaopay/fail?orderId=" + id, {"Accept: application/json"}).status, 400);
  EXPECT_GE(Get("/api/payments/kakaopay/approve?orderId=" + id + "&pg_token=junk", {"Accept: application/json"}).status,
            400);
  auto approved = Get(approve_path, {"Accept: application/json"});
  ASSERT_EQ(approved.status, 200) << approved.body;
  auto data = Json(approved).at("data");
  EXPECT_EQ(data.at("status").as_string(), "PAID");
  // The redirect's answer carries no personal data nor the tid (the owner reads the order signed in).
  EXPECT_EQ(approved.body.find("010-5555-6666"), std::string::npos) << approved.body;
  EXPECT_EQ(approved.body.find("\"tid\""), std::string::npos) << approved.body;
  EXPECT_EQ(OrderOf(pending).at("status").as_string(), "PAID");
}

TEST_P(MoneyPathsTest, TwoTabs_TheOlderAttemptsQuitDoesNotSpoilTheNewerOne) {
  auto order = Order("ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  auto older_quit = Redirect(order, "quit");
  auto newer_approve = Redirect(order, "approve");
  EXPECT_EQ(Get(older_quit, {"Accept: application/json"}).status, 200);  // the older tab quits afterwards
  auto approved = Get(newer_approve, {"Accept: application/json"});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(OrderOf(order).at("status").as_string(), "PAID");
  EXPECT_EQ(LedgerTotal("APPROVE"), 27'000);
}

// Defect 5.
TEST_P(MoneyPathsTest, IdempotencyKey_IsScopedToItsTarget_AndHonouredByRefundsAndCancel) {
  auto first = Order("ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  auto second = Order("ONE_TIME", R"([{"itemId":4,"quantity":1}])");
  auto ready = [&](std::int64_t id) {
    return Send("POST", "/api/orders/" + std::to_string(id) + "/payment", R"({"provider":"KAKAOPAY"})",
                {user_, "Idempotency-Key: same-key"});
  };
  auto a = ready(first), b = ready(second);
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_NE(Json(a).at("data").at("tid"), Json(b).at("data").at("tid"));  // not the first order's replay

  auto paid = Order("ONE_TIME", R"([{"itemId":4,"quantity":2}])");
  ASSERT_EQ(Pay(paid).status, 200);
  auto path = "/api/admin/orders/" + std::to_string(paid) + "/refund";
  auto once = Send("POST", path, R"({"amount":1000})", {admin_, "Idempotency-Key: refund-1"});
  auto twice = Send("POST", path, R"({"amount":1000})", {admin_, "Idempotency-Key: refund-1"});
  ASSERT_EQ(once.status, 200) << once.body;
  ASSERT_EQ(twice.status, 200) << twice.body;
  EXPECT_EQ(Json(twice).at("data").at("payment").at("refundedAmount").as_int64(), 1000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);
  EXPECT_EQ(Send("POST", path, R"({"amount":2000})", {admin_, "Idempotency-Key: refund-1"}).status, 422);

  auto cancel = "/api/orders/" + std::to_string(paid) + "/cancel";
  auto c1 = Send("POST", cancel, "", {user_, "Idempotency-Key: cancel-1"});
  auto c2 = Send("POST", cancel, "", {user_, "Idempotency-Key: cancel-1"});
  ASSERT_EQ(c1.status, 200) << c1.body;
  EXPECT_EQ(c2.status, 200) << c2.body;
  EXPECT_EQ(c2.Header("idempotent-replayed"), "true");
}

class IdempotencyPurgeTest : public MoneyPathsTest {
 protected:
  void Seed(storage::Database& db) override {
    MoneyPathsTest::Seed(db);
    auto lease = db.Acquire();
    auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    long long old = now - 25LL * 3600 * 1000, fresh = now - 3600 * 1000;
    *lease << "INSERT INTO idempotency_keys(user_id, scope, idem_key, request_hash, state, response_status, "
              "response_body, created_at_ms) VALUES(1, 'orders', 'old', 'h', 'DONE', 201, '{}', :c)",
        soci::use(old);
    *lease << "INSERT INTO idempotency_keys(user_id, scope, idem_key, request_hash, state, response_status, "
              "response_body, created_at_ms) VALUES(1, 'orders', 'fresh', 'h', 'DONE', 201, '{}', :c)",
        soci::use(fresh);
  }
};

TEST_P(IdempotencyPurgeTest, KeysOlderThanTheRetention_ArePurgedInTheBackground) {
  EXPECT_TRUE(Eventually([&] { return Count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'old'") == 0; }));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = 'fresh'"), 1);
}

// Defect 6.
TEST_P(MoneyPathsTest, Withdrawal_EndsTheSubscriptionsInItsOwnTransaction) {
  auto [order, subs] = PaidSiblings();
  std::string sid = SidOfOrder(order);
  auto withdrawn = Send("DELETE", "/api/users/me", R"({"password":"Passw0rd!"})", {user_});
  ASSERT_EQ(withdrawn.status, 204) << withdrawn.body;
  // At once, not after a hook: no subscription of the user is left live.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM subscriptions WHERE status IN ('ACTIVE', 'PAUSED', 'PAST_DUE')"), 0);
  EXPECT_TRUE(Eventually([&] { return SidStatus(sid) == "INACTIVE"; }));
  EXPECT_EQ(Charge(subs[0], MakeDue(subs[0])).status, 409);
}

TEST_P(MoneyPathsTest, Billing_NeverClaimsAChargeForAWithdrawnUser) {
  auto [order, subs] = PaidSiblings();
  // An account withdrawn before this fix, whose subscriptions the failed hook left ACTIVE.
  Exec("UPDATE users SET status = 'WITHDRAWN' WHERE email = 'kim@example.com'");
  auto before = Ledger().size();
  auto r = Charge(subs[0], MakeDue(subs[0]));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Ledger().size(), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM subscription_charges"), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, MoneyPathsTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, IdempotencyPurgeTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

// Defect 7: both placements of --config start the server.
class ServeConfigTest : public ::testing::Test {
 protected:
  void Check(const std::vector<std::string>& args_before, const std::vector<std::string>& args_after) {
    int port = FreePort();
    auto file = dir_.Path() / "pillivery.toml";
    {
      std::ofstream out(file);
      out << "[http]\nport = " << port << "\n[billing]\nscheduler = false\n[db]\nurl = \"sqlite://"
          << (dir_.Path() / "db.sqlite").string() << "\"\n";
    }
    std::vector<std::string> args = args_before;
    for (auto& a : args)
      if (a == "FILE") a = file.string();
    for (auto a : args_after) args.push_back(a == "FILE" ? file.string() : a);
    ChildProcess server(BinaryPath("pillivery"), args, {}, dir_.Path() / "serve.log");
    EXPECT_TRUE(WaitForHttp("http://127.0.0.1:" + std::to_string(port) + "/health/live", std::chrono::seconds(30)));
    EXPECT_EQ(server.Terminate(), 0);
  }
  TempDir dir_;
};

TEST_F(ServeConfigTest, ConfigAfterServe_StartsTheServer) { Check({"serve"}, {"--config", "FILE"}); }
TEST_F(ServeConfigTest, ConfigBeforeServe_StartsTheServer) { Check({"--config", "FILE", "serve"}, {}); }

}  // namespace
}  // namespace pillivery::testing
