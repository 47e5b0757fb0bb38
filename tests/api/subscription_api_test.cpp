// The owner's subscription operations over real HTTP, on both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "infra/clock.hpp"
#include "storage/order_repository.hpp"
#include "storage/subscription_repository.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

class SubscriptionApiTest : public ApiTest {
 protected:
  std::string SignUpAndLogin(const std::string& name, const std::string& phone) {
    boost::json::object user{{"email", name + "@example.com"}, {"password", "Passw0rd!"}, {"displayName", name},
                             {"realName", "홍길동"},           {"phone", phone},          {"city", "서울"},
                             {"detailAddress", "강남구 1"}};
    EXPECT_EQ(Send("POST", "/api/users", boost::json::serialize(user)).status, 201);
    auto r = Send("POST", "/api/auth/login", R"({"email":")" + name + R"(@example.com","password":"Passw0rd!"})");
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  // Places a SUBSCRIPTION order and marks it paid the way the approval does, creating the subscriptions.
  std::int64_t Subscribe(const std::string& token, int period) {
    auto r = Send("POST", "/api/orders",
                  R"({"type":"SUBSCRIPTION","lines":[{"itemId":3,"quantity":2,"period":)" + std::to_string(period) +
                      R"(}],"receiver":{"name":"a","phone":"010-1234-5678","city":"b","detailAddress":"c"}})",
                  {token});
    EXPECT_EQ(r.status, 201) << r.body;
    auto order_id = Json(r).at("data").at("orderId").as_int64();
    storage::Database db(config_.db_url, 1);
    storage::OrderRepository orders(db);
    storage::SubscriptionRepository subs(db);
    auto today = *domain::Date::Parse(infra::FormatDate(std::chrono::system_clock::now()));
    std::int64_t id = 0;
    // A real timestamp: the answers carrying it are checked against the OpenAPI document (date-time).
    const std::string now = infra::FormatIsoTime(std::chrono::system_clock::now());
    storage::UnitOfWork work(db);
    if (orders.MarkPaid(work, order_id, "KAKAOPAY", "T1", now)) {
      // One SID per approval, as the gateway issues them.
      id = subs.CreateForOrder(work, *orders.Find(work, order_id),
                               "S" + std::string(19 - std::to_string(order_id).size(), '0') + std::to_string(order_id),
                               "TCSUBSCRIP", "user", today, now)
               .front();
    }
    work.Commit();
    return id;
  }
};

TEST_P(SubscriptionApiTest, Owner_SeesAndChangesTheirSubscription) {
  infra::SetProcessTimeZone("Asia/Seoul");
  auto alice = SignUpAndLogin("alice", "010-1111-2222");
  auto id = Subscribe(alice, 30);
  auto path = "/api/subscriptions/" + std::to_string(id);
  auto detail = Get(path, {alice});
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto data = Json(detail).at("data");
  EXPECT_EQ(data.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(data.at("period").as_int64(), 30);
  EXPECT_EQ(data.at("upcomingAmount").as_int64(), 2 * 11'250);
  auto today = *domain::Date::Parse(infra::FormatDate(std::chrono::system_clock::now()));
  EXPECT_EQ(data.at("lastPaidDate").as_string(), today.ToString());
  EXPECT_EQ(data.at("nextPaymentDate").as_string(), today.AddDays(30).ToString());

  auto changed = Send("PATCH", path, R"({"period":14,"quantity":3})", {alice});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json(changed).at("data").at("nextPaymentDate").as_string(), today.AddDays(14).ToString());
  EXPECT_EQ(Json(changed).at("data").at("upcomingAmount").as_int64(), 3 * 11'250);
  auto skipped = Send("POST", path + "/skip", "", {alice});
  EXPECT_EQ(Json(skipped).at("data").at("nextPaymentDate").as_string(), today.AddDays(28).ToString());
  EXPECT_EQ(Json(Send("POST", path + "/pause", "", {alice})).at("data").at("status").as_string(), "PAUSED");
  EXPECT_EQ(Send("POST", path + "/pause", "", {alice}).status, 409);
  EXPECT_EQ(Json(Send("POST", path + "/resume", "", {alice})).at("data").at("status").as_string(), "ACTIVE");
  EXPECT_EQ(Json(Get("/api/subscriptions?status=ACTIVE", {alice})).at("pageInfo").at("totalElements").as_int64(), 1);
  EXPECT_EQ(Json(Get(path + "/charges", {alice})).at("pageInfo").at("totalElements").as_int64(), 0);
  EXPECT_EQ(Json(Send("POST", path + "/cancel", "", {alice})).at("data").at("status").as_string(), "CANCELLED");
  EXPECT_EQ(Send("POST", path + "/resume", "", {alice}).status, 409);
}

TEST_P(SubscriptionApiTest, BadInputAndOtherUsers_GetProblemsAndChangeNothing) {
  auto alice = SignUpAndLogin("alice", "010-1111-2222");
  auto bob = SignUpAndLogin("bob", "010-3333-4444");
  auto id = Subscribe(alice, 30);
  auto path = "/api/subscriptions/" + std::to_string(id);
  EXPECT_EQ(Get(path).status, 401);
  EXPECT_EQ(Get(path, {bob}).status, 404);
  EXPECT_EQ(Send("POST", path + "/cancel", "", {bob}).status, 404);
  EXPECT_EQ(Send("PATCH", path, R"({"period":14})", {bob}).status, 404);
  for (const char* bad :
       {R"({"period":6})", R"({"period":181})", R"({"quantity":0})", R"({"period":"30"})", R"({})", "nope"}) {
    auto r = Send("PATCH", path, bad, {alice});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
  EXPECT_EQ(Get("/api/subscriptions/abc", {alice}).status, 400);
  EXPECT_EQ(Get("/api/subscriptions?status=SOMETIMES", {alice}).status, 400);
  EXPECT_EQ(Json(Get(path, {alice})).at("data").at("period").as_int64(), 30);
}

TEST_P(SubscriptionApiTest, Withdrawal_CancelsTheUsersSubscriptions) {
  auto alice = SignUpAndLogin("alice", "010-1111-2222");
  auto id = Subscribe(alice, 30);
  auto r = Send("DELETE", "/api/users/me", R"({"password":"Passw0rd!"})", {alice});
  ASSERT_EQ(r.status, 204) << r.body;
  storage::Database db(config_.db_url, 1);
  storage::SubscriptionRepository subs(db);
  EXPECT_EQ(subs.Find(id)->status, domain::SubscriptionStatus::kCancelled);
}

INSTANTIATE_TEST_SUITE_P(Engines, SubscriptionApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
