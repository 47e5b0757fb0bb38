// The test clock, the subscription's delivery address and the out-of-stock
// policy at renewal, over real HTTP with the real pg-simulator, on both
// engines (issue #12 items 9, 10 and 12).
#include "api/journey_fixture.hpp"

namespace pillivery::testing {
namespace {

class TestClockApiTest : public JourneyTest {
 protected:
  boost::json::object Clock() { return Json(Get("/api/admin/test-clock", {admin_})).at("data").as_object(); }
  boost::json::array Charges(const std::string& user, std::int64_t subscription) {
    auto r = Get("/api/subscriptions/" + std::to_string(subscription) + "/charges?size=100", {user});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("data").as_array();
  }
};

TEST_P(TestClockApiTest, AdminReadsAndAdvancesTheBusinessClock_NeverBackwards) {
  auto real_today = infra::FormatDate(std::chrono::system_clock::now());
  auto clock = Clock();
  EXPECT_EQ(clock.at("today").as_string(), real_today);
  EXPECT_EQ(clock.at("offsetMs").as_int64(), 0);
  EXPECT_EQ(std::string(clock.at("now").as_string()).substr(0, 10), real_today);

  auto moved = Send("POST", "/api/admin/test-clock", R"({"advanceDays":3})", {admin_});
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto three_days = domain::Date::Parse(real_today)->AddDays(3).ToString();
  EXPECT_EQ(Json(moved).at("data").at("today").as_string(), three_days);
  EXPECT_EQ(Json(moved).at("data").at("offsetMs").as_int64(), 3 * 86'400'000LL);
  ASSERT_EQ(Send("POST", "/api/admin/test-clock", R"({"advanceMinutes":90})", {admin_}).status, 200);
  EXPECT_EQ(Clock().at("offsetMs").as_int64(), 3 * 86'400'000LL + 90 * 60'000LL);

  // Bad input: a 4xx problem, and the clock stays where it is.
  for (const std::string& bad :
       {std::string("{}"), std::string(R"({"advanceDays":0})"), std::string(R"({"advanceDays":-1})"),
        std::string(R"({"advanceMinutes":-5})"), std::string(R"({"advanceDays":1,"advanceMinutes":1})"),
        std::string(R"({"advanceDays":367})"), std::string(R"({"advanceMinutes":10081})"),
        std::string(R"({"advanceDays":"3"})"), std::string(R"({"advanceDays":1.5})"),
        std::string(R"({"advanceDays":1,"back":true})"), std::string("[1]"), std::string("nope"),
        std::string(R"({"advanceDays":99999999999999999999})")}) {
    auto r = Send("POST", "/api/admin/test-clock", bad, {admin_});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << bad;
  }
  EXPECT_EQ(Clock().at("offsetMs").as_int64(), 3 * 86'400'000LL + 90 * 60'000LL);
  // At most ten years ahead.
  for (int i = 0; i < 9; ++i)
    ASSERT_EQ(Send("POST", "/api/admin/test-clock", R"({"advanceDays":366})", {admin_}).status, 200);
  auto limit = Send("POST", "/api/admin/test-clock", R"({"advanceDays":366})", {admin_});
  EXPECT_EQ(limit.status, 422) << limit.body;
  EXPECT_EQ(Json(limit).at("code").as_string(), "TEST_CLOCK_LIMIT");

  // Admins only.
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  EXPECT_EQ(Get("/api/admin/test-clock").status, 401);
  EXPECT_EQ(Get("/api/admin/test-clock", {kim}).status, 403);
  EXPECT_EQ(Send("POST", "/api/admin/test-clock", R"({"advanceDays":1})").status, 401);
  EXPECT_EQ(Send("POST", "/api/admin/test-clock", R"({"advanceDays":1})", {kim}).status, 403);
  // Tokens keep real time: the admin's token still works ten years on.
  EXPECT_EQ(Get("/api/admin/test-clock", {admin_}).status, 200);
}

TEST_P(TestClockApiTest, SeveralProcesses_FollowTheClockMovedOnAnother_TheRenewalIsChargedThere) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto order = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":1,"period":7}])");
  Pay(kim, order);
  auto subscription = SubscriptionOf(kim, order);
  auto due = std::string(subscription.at("nextPaymentDate").as_string());
  auto id = subscription.at("subscriptionId").as_int64();

  // A second API server of the same database, started before the clock moves.
  auto other_config = config_;
  other_config.http_port = 0;
  app::Application other(other_config, false);
  auto other_url = "http://127.0.0.1:" + std::to_string(other.Start());
  AdvanceTo(due);  // through the first server
  auto seen = Json(HttpCall("GET", other_url + "/api/admin/test-clock", "", {admin_}));
  EXPECT_EQ(seen.at("data").at("today").as_string(), due);

  // The batch sends the cycle to the other server, which decides on the moved day.
  auto run = RunBatch(other_url);
  EXPECT_EQ(run.run.paid, 1);
  EXPECT_EQ(LedgerTotal("SUBSCRIPTION"), 20'000);
  auto after = SubscriptionOf(kim, order);
  EXPECT_EQ(after.at("lastPaidDate").as_string(), due);
  EXPECT_EQ(after.at("nextPaymentDate").as_string(), domain::Date::Parse(due)->AddDays(7).ToString());
  auto charges = Charges(kim, id);
  ASSERT_EQ(charges.size(), 1u);
  EXPECT_EQ(charges[0].at("result").as_string(), "PAID");
  auto renewal = OrderOf(kim, charges[0].at("renewalOrderId").as_int64());
  EXPECT_EQ(renewal.at("createdAt").as_string().subview(0, 10), due);  // stamped on the business clock
  other.Stop();
}

TEST_P(TestClockApiTest, DeliveryAddress_RenewalShipsToTheAddressInForceWhenItIsCreated) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto bob = SignUpAndLogin("bob", "010-3333-4444");
  auto order = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":1,"period":14}])", kAddressA);
  Pay(kim, order);
  auto subscription = SubscriptionOf(kim, order);
  auto path = "/api/subscriptions/" + std::to_string(subscription.at("subscriptionId").as_int64());
  EXPECT_EQ(subscription.at("deliveryAddress"), boost::json::parse(kAddressA));  // starts with the order's receiver

  auto changed = Send("PATCH", path, std::string(R"({"deliveryAddress":)") + kAddressB + "}", {kim});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json(changed).at("data").at("deliveryAddress"), boost::json::parse(kAddressB));
  EXPECT_EQ(Json(changed).at("data").at("period").as_int64(), 14);  // nothing else changed

  // Bad input and other users: a problem, and the address stays B.
  for (const std::string& bad :
       {std::string(R"({"deliveryAddress":"부산"})"), std::string(R"({"deliveryAddress":{}})"),
        std::string(R"({"deliveryAddress":{"name":"a","phone":"02-123-4567","city":"b","detailAddress":"c"}})"),
        std::string(R"({"deliveryAddress":{"name":"a","phone":"010-1234-5678","city":"b"}})"),
        std::string(R"({"deliveryAddress":{"name":"","phone":"010-1234-5678","city":"b","detailAddress":"c"}})"),
        std::string(R"({"deliveryAddress":{"name":1,"phone":"010-1234-5678","city":"b","detailAddress":"c"}})"),
        R"({"deliveryAddress":{"name":"a","phone":"010-1234-5678","city":"b","detailAddress":")" +
            std::string(201, 'x') + R"("}})",
        std::string(R"({"deliveryAddress":)") + kAddressA + R"(,"period":3})"}) {
    auto r = Send("PATCH", path, bad, {kim});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  EXPECT_EQ(Send("PATCH", path, std::string(R"({"deliveryAddress":)") + kAddressA + "}", {bob}).status, 404);
  EXPECT_EQ(SubscriptionOf(kim, order).at("deliveryAddress"), boost::json::parse(kAddressB));

  AdvanceTo(std::string(subscription.at("nextPaymentDate").as_string()));
  ASSERT_EQ(RunBatch().run.paid, 1);
  auto charge = Json(Get(path + "/charges", {kim})).at("data").at(0);
  auto renewal_id = charge.at("renewalOrderId").as_int64();
  EXPECT_EQ(OrderOf(kim, renewal_id).at("receiver"), boost::json::parse(kAddressB));
  EXPECT_EQ(OrderOf(kim, order).at("receiver"), boost::json::parse(kAddressA));
  // A later change moves future renewals only: the renewal keeps the address it was created with.
  ASSERT_EQ(Send("PATCH", path, std::string(R"({"deliveryAddress":)") + kAddressA + "}", {kim}).status, 200);
  EXPECT_EQ(OrderOf(kim, renewal_id).at("receiver"), boost::json::parse(kAddressB));
}

TEST_P(TestClockApiTest, Cancel_KeepsAnOptionalReason_BadReasonsChangeNothing) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto first = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":1,"period":30}])");
  Pay(kim, first);
  auto second = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":6,"quantity":1,"period":30}])");
  Pay(kim, second);
  auto path = "/api/subscriptions/" + std::to_string(SubscriptionOf(kim, first).at("subscriptionId").as_int64());
  for (const std::string& bad : {R"({"reason":")" + std::string(501, 'x') + R"("})", std::string(R"({"reason":5})"),
                                 std::string("nope"), std::string(R"(["x"])")}) {
    auto r = Send("POST", path + "/cancel", bad, {kim});
    EXPECT_EQ(r.status, 400) << r.body;
  }
  EXPECT_EQ(SubscriptionOf(kim, first).at("status").as_string(), "ACTIVE");
  std::string reason = "이사를 가요 " + std::string(400, 'x');
  auto cancelled = Send("POST", path + "/cancel", R"({"reason":")" + reason + R"("})", {kim});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "CANCELLED");
  EXPECT_EQ(Json(cancelled).at("data").at("cancelReason").as_string(), reason);
  EXPECT_EQ(Send("PATCH", path, std::string(R"({"deliveryAddress":)") + kAddressB + "}", {kim}).status, 409);
  // Without a body, as before.
  auto plain = "/api/subscriptions/" + std::to_string(SubscriptionOf(kim, second).at("subscriptionId").as_int64());
  auto without = Send("POST", plain + "/cancel", "", {kim});
  ASSERT_EQ(without.status, 200) << without.body;
  EXPECT_FALSE(Json(without).at("data").as_object().contains("cancelReason"));
}

TEST_P(TestClockApiTest, OutOfStockAtRenewal_IsRetriedOnTheSoftDeclineDaysThenTheCycleIsSkipped) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto order = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":2,"period":30}])");
  Pay(kim, order);
  auto subscription = SubscriptionOf(kim, order);
  auto id = subscription.at("subscriptionId").as_int64();
  auto due = *domain::Date::Parse(std::string(subscription.at("nextPaymentDate").as_string()));
  ASSERT_EQ(Send("PATCH", "/api/admin/items/4", R"({"stock":1})", {admin_}).status, 200);  // short of 2
  const auto approvals = LedgerTotal("APPROVE");

  // Due day and the retry days 1, 3 and 5 after it: tried, not charged, still ACTIVE.
  const int days[] = {0, 1, 3, 5};
  for (int attempt = 1; attempt <= 4; ++attempt) {
    AdvanceTo(due.AddDays(days[attempt - 1]).ToString());
    auto run = RunBatch();
    EXPECT_TRUE(run.completed) << attempt;
    EXPECT_EQ(run.run.due, 1) << attempt;
    EXPECT_EQ(run.run.skipped, 1) << attempt;
    auto charges = Charges(kim, id);
    ASSERT_EQ(charges.size(), static_cast<std::size_t>(attempt));
    EXPECT_EQ(charges[0].at("result").as_string(), "OUT_OF_STOCK");
    EXPECT_EQ(charges[0].at("attempt").as_int64(), attempt);
    EXPECT_EQ(charges[0].at("dueDate").as_string(), due.ToString());
    EXPECT_FALSE(charges[0].as_object().contains("renewalOrderId"));
    auto now = SubscriptionOf(kim, order);
    EXPECT_EQ(now.at("status").as_string(), "ACTIVE") << attempt;
    if (attempt < 4) {
      EXPECT_EQ(now.at("nextPaymentDate").as_string(), due.ToString());
      EXPECT_EQ(now.at("nextAttemptDate").as_string(), due.AddDays(days[attempt]).ToString());
      // Not retried again the same day, nor for ever.
      EXPECT_EQ(RunBatch().run.due, 0) << attempt;
    } else {
      // Skipped: not charged, next date one period on, a notice to the customer.
      EXPECT_EQ(now.at("nextPaymentDate").as_string(), due.AddDays(30).ToString());
      EXPECT_EQ(now.at("lastPaidDate").as_string(), subscription.at("lastPaidDate").as_string());
    }
  }
  EXPECT_EQ(LedgerTotal("SUBSCRIPTION"), 0);
  EXPECT_EQ(LedgerTotal("APPROVE"), approvals);
  EXPECT_EQ(Json(Get("/api/items/4")).at("data").at("stock").as_int64(), 1);  // nothing reserved or lost
  EXPECT_EQ(Notices("CHARGE_OUT_OF_STOCK"), 3);
  EXPECT_EQ(Notices("CYCLE_SKIPPED_OUT_OF_STOCK"), 1);

  // Restocked: the next cycle is charged as usual.
  ASSERT_EQ(Send("PATCH", "/api/admin/items/4", R"({"stock":10})", {admin_}).status, 200);
  AdvanceTo(due.AddDays(30).ToString());
  auto run = RunBatch();
  EXPECT_EQ(run.run.paid, 1);
  EXPECT_EQ(LedgerTotal("SUBSCRIPTION"), 40'000);
  EXPECT_EQ(Json(Get("/api/items/4")).at("data").at("stock").as_int64(), 8);
}

INSTANTIATE_TEST_SUITE_P(Engines, TestClockApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

// Off by default: the route does not exist.
class TestClockOffApiTest : public ApiTest {
 protected:
  void Configure(infra::Config& config) override {
    config.admin_email = "admin@pillivery.test";
    config.admin_password = "Admin-pass-1234";
  }
};

TEST_P(TestClockOffApiTest, WithoutTheSetting_TheRouteDoesNotExist) {
  auto login = Send("POST", "/api/auth/login", R"({"email":"admin@pillivery.test","password":"Admin-pass-1234"})");
  ASSERT_EQ(login.status, 200) << login.body;
  auto admin = "Authorization: Bearer " + std::string(Json(login).at("data").at("accessToken").as_string());
  EXPECT_EQ(Get("/api/admin/test-clock", {admin}).status, 404);
  EXPECT_EQ(Send("POST", "/api/admin/test-clock", R"({"advanceDays":1})", {admin}).status, 404);
  // The document is one for every configuration: the entry says the route needs the setting.
  auto doc = Json(Get("/openapi.json"));
  std::string description(doc.at("paths").at("/api/admin/test-clock").at("get").at("description").as_string());
  EXPECT_NE(description.find("PILLIVERY_TEST_CLOCK=true"), std::string::npos) << description;
}

INSTANTIATE_TEST_SUITE_P(Engines, TestClockOffApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
