#pragma once
// A store with the test clock on, the real pg-simulator binary and an admin:
// customers order and pay through KakaoPay as a browser would, the admin moves
// the business clock and runs the billing job (issue #12 items 8-12).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "batch/batch_runner.hpp"
#include "batch/http_charge_cycles.hpp"
#include "infra/clock.hpp"
#include "storage/subscription_repository.hpp"
#include "support/api_fixture.hpp"

#include <thread>

namespace pillivery::testing {

class JourneyTest : public ApiTest {
 protected:
  static constexpr const char* kToken = "journey-internal-token-0123456789abcdef";
  static constexpr const char* kAddressA =
      R"({"name":"김하나","phone":"010-5555-6666","city":"서울","detailAddress":"강남구 1"})";
  static constexpr const char* kAddressB =
      R"({"name":"이둘","phone":"010-7777-8888","city":"부산","detailAddress":"해운대구 2"})";

  void SetUp() override {
    infra::SetProcessTimeZone("Asia/Seoul");
    simulator_ = std::make_unique<Simulator>(dir_.Path() / "sim.db");
    sim_ = simulator_->BaseUrl();
    config_.kakaopay_base_url = simulator_->PaymentBaseUrl();
    config_.admin_email = "admin@pillivery.test";
    config_.admin_password = "Admin-pass-1234";
    config_.internal_token = kToken;
    config_.test_clock = true;
    ApiTest::SetUp();
    admin_ = Login("admin@pillivery.test", "Admin-pass-1234");
  }
  void TearDown() override {
    ApiTest::TearDown();
    simulator_.reset();
  }

  std::string SignUpAndLogin(const std::string& name, const std::string& phone) {
    boost::json::object user{{"email", name + "@example.com"}, {"password", "Passw0rd!"}, {"displayName", name},
                             {"realName", "홍길동"},           {"phone", phone},          {"city", "서울"},
                             {"detailAddress", "강남구 1"}};
    EXPECT_EQ(Send("POST", "/api/users", boost::json::serialize(user)).status, 201);
    return Login(name + "@example.com", "Passw0rd!");
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto r = Send("POST", "/api/auth/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  // POST /api/orders with explicit lines; the order id.
  std::int64_t PlaceOrder(const std::string& user, const std::string& type, const std::string& lines,
                          const std::string& receiver = kAddressA) {
    auto r = Send("POST", "/api/orders",
                  R"({"type":")" + type + R"(","lines":)" + lines + R"(,"receiver":)" + receiver + "}", {user});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).at("data").at("orderId").as_int64() : 0;
  }
  // ready → the simulator's page with auto=approve → the approval redirect, as the browser would.
  void Pay(const std::string& user, std::int64_t order_id) {
    auto ready =
        Send("POST", "/api/orders/" + std::to_string(order_id) + "/payment", R"({"provider":"KAKAOPAY"})", {user});
    ASSERT_EQ(ready.status, 201) << ready.body;
    std::string page(Json(ready).at("data").at("redirectUrl").at("pc").as_string());
    auto redirect = HttpCall("GET", page + (page.find('?') == std::string::npos ? "?" : "&") + "auto=approve");
    ASSERT_EQ(redirect.status, 302) << redirect.body;
    std::string location = redirect.Header("location");
    auto approved = Get(location.substr(location.find("/api/payments/")), {"Accept: application/json"});
    ASSERT_EQ(approved.status, 200) << approved.body;
    ASSERT_EQ(OrderOf(user, order_id).at("status").as_string(), "PAID");
  }
  boost::json::object OrderOf(const std::string& user, std::int64_t id) {
    auto r = Get("/api/orders/" + std::to_string(id), {user});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("data").as_object();
  }
  // The one subscription the (single-line) order created.
  boost::json::object SubscriptionOf(const std::string& user, std::int64_t order_id) {
    auto page = Json(Get("/api/subscriptions?size=100", {user})).at("data").as_array();
    for (const auto& s : page)
      if (s.at("sourceOrderId").as_int64() == order_id) return s.as_object();
    ADD_FAILURE() << "no subscription of order " << order_id;
    return {};
  }
  std::string Today() {
    auto r = Get("/api/admin/test-clock", {admin_});
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(Json(r).at("data").at("today").as_string());
  }
  void AdvanceDays(int days) {
    auto r = Send("POST", "/api/admin/test-clock", R"({"advanceDays":)" + std::to_string(days) + "}", {admin_});
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Advances the business clock to `date` (YYYY-MM-DD, not before today).
  void AdvanceTo(const std::string& date) {
    auto today = *domain::Date::Parse(Today());
    auto target = *domain::Date::Parse(date);
    int days = 0;
    while (today.AddDays(days) < target) ++days;
    if (days > 0) AdvanceDays(days);
    ASSERT_EQ(Today(), date);
  }
  // The billing job for the business day, as `pillivery batch run` would run it.
  // `passes`: 1 leaves an unknown answer unknown (later passes send it again).
  batch::BatchResult RunBatch(const std::string& api_url = "", int passes = 3) {
    storage::Database db(config_.db_url, 2);
    storage::SubscriptionRepository subs(db);
    batch::BatchOptions options;
    options.date = *domain::Date::Parse(Today());
    options.concurrency = 2;
    options.passes = passes;
    batch::HttpChargeCycles charges({api_url.empty() ? base_ : api_url, kToken});
    return batch::RunBilling(subs, charges, testing::RealClock(), options);
  }
  boost::json::array Ledger() { return Json(HttpCall("GET", sim_ + "/__ledger")).at("payments").as_array(); }
  std::int64_t LedgerTotal(const std::string& kind) {
    std::int64_t total = 0;
    for (const auto& p : Ledger())
      if (p.at("kind").as_string() == kind) total += p.at("amount").as_int64();
    return total;
  }
  // The outbox runs after the commit: wait for its effect (bounded).
  template <typename Done>
  bool Eventually(Done done) {
    for (int i = 0; i < 100; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // Outbox notices of one kind, read from the database (delivered or not).
  int Notices(const std::string& kind) {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    int count = 0;
    soci::rowset<std::string> rows = (lease->prepare << "SELECT payload FROM outbox_events WHERE event_type = "
                                                        "'notification.send'");
    for (const auto& payload : rows)
      if (boost::json::parse(payload).at("kind").as_string() == kind) ++count;
    return count;
  }

  std::string sim_;
  std::unique_ptr<Simulator> simulator_;
  std::string admin_;
};

}  // namespace pillivery::testing
