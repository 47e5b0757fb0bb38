// Carts, orders, reviews and admin catalog management over real HTTP, on both engines.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <thread>

#include "storage/order_repository.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

class CommerceApiTest : public ApiTest {
 protected:
  void SetUp() override {
    config_.admin_email = "admin@pillivery.test";
    config_.admin_password = "Admin-pass-1234";
    ApiTest::SetUp();
  }

  std::string SignUpAndLogin(const std::string& name) {
    static std::atomic<int> n{0};
    int k = n++;
    char phone[32];
    std::snprintf(phone, sizeof phone, "010-%04d-%04d", 1000 + k % 9000, 1000 + (k * 7) % 9000);
    boost::json::object user{{"email", name + "@example.com"}, {"password", "Passw0rd!"}, {"displayName", name},
                             {"realName", "홍길동"},           {"phone", phone},          {"city", "서울"},
                             {"detailAddress", "강남구 1"}};
    auto created = Send("POST", "/api/users", boost::json::serialize(user));
    EXPECT_EQ(created.status, 201) << created.body;
    return Login(name + "@example.com", "Passw0rd!");
  }
  std::string Login(const std::string& email, const std::string& password) {
    auto r = Send("POST", "/api/auth/login",
                  boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return "Authorization: Bearer " + std::string(Json(r).at("data").at("accessToken").as_string());
  }
  static std::string OrderBody(const std::string& lines, const std::string& type = "ONE_TIME") {
    return R"({"type":")" + type + R"(","fromCart":false,"lines":)" + lines +
           R"(,"receiver":{"name":"홍길동","phone":"010-1234-5678","city":"서울","detailAddress":"강남구 1"}})";
  }
};

TEST_P(CommerceApiTest, Carts_RequireAuthAndDeriveTotalsFromCurrentPrices) {
  EXPECT_EQ(Get("/api/carts/normal").status, 401);
  auto alice = SignUpAndLogin("alice");
  auto empty = Get("/api/carts/normal", {alice});
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(Json(empty).at("data").at("totalPrice").as_int64(), 0);

  auto added = Send("POST", "/api/carts/normal/items", R"({"itemId":1,"quantity":2})", {alice});
  ASSERT_EQ(added.status, 201) << added.body;
  auto cart = Json(added).at("data");
  EXPECT_EQ(cart.at("itemCount").as_int64(), 2);
  EXPECT_EQ(cart.at("totalOriginPrice").as_int64(), 60'000);
  EXPECT_EQ(cart.at("totalPrice").as_int64(), 54'000);
  EXPECT_EQ(cart.at("totalDiscountPrice").as_int64(), 6'000);
  EXPECT_EQ(cart.at("lines").at(0).at("lineTotal").as_int64(), 54'000);

  Send("POST", "/api/carts/normal/items", R"({"itemId":1,"quantity":98})", {alice});
  EXPECT_EQ(Json(Get("/api/carts/normal", {alice})).at("data").at("lines").at(0).at("quantity").as_int64(), 99);

  auto sub = Send("POST", "/api/carts/subscription/items", R"({"itemId":3,"quantity":1,"period":30})", {alice});
  ASSERT_EQ(sub.status, 201) << sub.body;
  EXPECT_EQ(Json(sub).at("data").at("lines").at(0).at("period").as_int64(), 30);
  auto patched = Send("PATCH", "/api/carts/subscription/items/3", R"({"period":60,"quantity":3})", {alice});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(Json(patched).at("data").at("itemCount").as_int64(), 3);
  auto removed = Send("DELETE", "/api/carts/subscription/items/3", "", {alice});
  EXPECT_EQ(removed.status, 200);
  EXPECT_TRUE(Json(removed).at("data").at("lines").as_array().empty());

  // Another user sees an empty cart of their own.
  auto bob = SignUpAndLogin("bob");
  EXPECT_TRUE(Json(Get("/api/carts/normal", {bob})).at("data").at("lines").as_array().empty());
}

TEST_P(CommerceApiTest, Carts_RejectBadInputWithProblemsAndChangeNothing) {
  auto alice = SignUpAndLogin("alice");
  struct Case {
    const char* path;
    const char* body;
    int status;
  } cases[] = {
      {"/api/carts/normal/items", R"({"itemId":1,"quantity":0})", 400},
      {"/api/carts/normal/items", R"({"itemId":1,"quantity":100})", 400},
      {"/api/carts/normal/items", R"({"itemId":"1","quantity":1})", 400},
      {"/api/carts/normal/items", R"({"itemId":1,"quantity":1,"period":30})", 400},
      {"/api/carts/subscription/items", R"({"itemId":1,"quantity":1,"period":6})", 400},
      {"/api/carts/subscription/items", R"({"itemId":1,"quantity":1})", 400},
      {"/api/carts/normal/items", R"({"itemId":999,"quantity":1})", 404},
      {"/api/carts/normal/items", R"({"itemId":1,"itemId":2,"quantity":1})", 400},
      {"/api/carts/normal/items", "not json", 400},
      {"/api/carts/weekly/items", R"({"itemId":1,"quantity":1})", 404},
  };
  for (const auto& c : cases) {
    auto r = Send("POST", c.path, c.body, {alice});
    EXPECT_EQ(r.status, c.status) << c.path << " " << c.body << " → " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << c.body;
  }
  EXPECT_TRUE(Json(Get("/api/carts/normal", {alice})).at("data").at("lines").as_array().empty());
  EXPECT_EQ(Send("PATCH", "/api/carts/normal/items/1", R"({"quantity":2})", {alice}).status, 404);
  EXPECT_EQ(Send("DELETE", "/api/carts/normal/items/abc", "", {alice}).status, 400);
}

TEST_P(CommerceApiTest, Orders_PricedByTheServerReserveStockAndAreOnlyTheOwners) {
  auto alice = SignUpAndLogin("alice");
  auto r = Send("POST", "/api/orders", OrderBody(R"([{"itemId":1,"quantity":2},{"itemId":3,"quantity":1}])"), {alice});
  ASSERT_EQ(r.status, 201) << r.body;
  auto order = Json(r).at("data");
  EXPECT_EQ(order.at("status").as_string(), "PENDING_PAYMENT");
  EXPECT_EQ(order.at("type").as_string(), "ONE_TIME");
  EXPECT_EQ(order.at("totalPrice").as_int64(), 2 * 27'000 + 11'250);
  EXPECT_EQ(order.at("lines").as_array().size(), 2u);
  EXPECT_EQ(order.at("statusHistory").at(0).at("status").as_string(), "PENDING_PAYMENT");
  EXPECT_EQ(order.at("receiver").at("detailAddress").as_string(), "강남구 1");
  std::int64_t id = order.at("orderId").as_int64();
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 8);

  auto bob = SignUpAndLogin("bob");
  EXPECT_EQ(Get("/api/orders/" + std::to_string(id), {bob}).status, 404);
  EXPECT_EQ(Send("POST", "/api/orders/" + std::to_string(id) + "/cancel", "", {bob}).status, 404);
  EXPECT_EQ(Json(Get("/api/orders", {bob})).at("pageInfo").at("totalElements").as_int64(), 0);

  auto list = Get("/api/orders?status=PENDING_PAYMENT", {alice});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list).at("data").at(0).at("orderId").as_int64(), id);
  EXPECT_EQ(Get("/api/orders?status=NOPE", {alice}).status, 400);

  auto cancelled = Send("POST", "/api/orders/" + std::to_string(id) + "/cancel", "", {alice});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "CANCELLED");
  EXPECT_EQ(Json(cancelled).at("data").at("statusHistory").as_array().size(), 2u);
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 10);
  EXPECT_EQ(Send("POST", "/api/orders/" + std::to_string(id) + "/cancel", "", {alice}).status, 409);
}

TEST_P(CommerceApiTest, Orders_FromTheCartAndOutOfStockConflicts) {
  auto alice = SignUpAndLogin("alice");
  Send("POST", "/api/carts/subscription/items", R"({"itemId":4,"quantity":2,"period":30})", {alice});
  auto body =
      R"({"type":"SUBSCRIPTION","fromCart":true,"receiver":{"name":"홍길동","phone":"01012345678","city":"서울","detailAddress":"1"}})";
  auto r = Send("POST", "/api/orders", body, {alice});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r).at("data").at("lines").at(0).at("period").as_int64(), 30);
  EXPECT_EQ(Json(r).at("data").at("type").as_string(), "SUBSCRIPTION");

  auto short_stock = Send("POST", "/api/orders", OrderBody(R"([{"itemId":2,"quantity":1}])"), {alice});
  EXPECT_EQ(short_stock.status, 409);
  EXPECT_EQ(Json(short_stock).at("code").as_string(), "OUT_OF_STOCK");
  auto empty_cart =
      R"({"type":"ONE_TIME","fromCart":true,"receiver":{"name":"a","phone":"010-1234-5678","city":"b","detailAddress":"c"}})";
  EXPECT_EQ(Send("POST", "/api/orders", empty_cart, {alice}).status, 422);
}

TEST_P(CommerceApiTest, Orders_RejectBadInputWithFieldErrors) {
  auto alice = SignUpAndLogin("alice");
  for (
      const std::string& body :
      {OrderBody("[]"), OrderBody(R"([{"itemId":1,"quantity":0}])"),
       OrderBody(R"([{"itemId":1,"quantity":1}])", "WEEKLY"),
       OrderBody(R"([{"itemId":1,"quantity":1}])", "SUBSCRIPTION"),
       std::string(
           R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":1}],"receiver":{"name":"","phone":"02-123-4567","city":"x","detailAddress":"y"}})"),
       std::string(R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":1,"unitRealPrice":1}]})"),
       std::string(R"({"type":"ONE_TIME","lines":"many","receiver":{}})"), std::string("[]")}) {
    auto r = Send("POST", "/api/orders", body, {alice});
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 10);
}

TEST_P(CommerceApiTest, Orders_IdempotencyKeyReplaysTheFirstResponse) {
  auto alice = SignUpAndLogin("alice");
  auto body = OrderBody(R"([{"itemId":1,"quantity":1}])");
  auto first = Send("POST", "/api/orders", body, {alice, "Idempotency-Key: order-abc"});
  auto again = Send("POST", "/api/orders", body, {alice, "Idempotency-Key: order-abc"});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  auto different =
      Send("POST", "/api/orders", OrderBody(R"([{"itemId":1,"quantity":2}])"), {alice, "Idempotency-Key: order-abc"});
  EXPECT_EQ(different.status, 422);
  EXPECT_EQ(Json(different).at("code").as_string(), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Json(Get("/api/orders", {alice})).at("pageInfo").at("totalElements").as_int64(), 1);
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("stock").as_int64(), 9);
  EXPECT_EQ(Send("POST", "/api/orders", body, {alice, "Idempotency-Key: " + std::string(300, 'k')}).status, 400);
}

TEST_P(CommerceApiTest, Checkout_TwoHundredConcurrentOrdersOfFiftyInStock_SellExactlyFifty) {
  auto admin = Login("admin@pillivery.test", "Admin-pass-1234");
  auto created = Send(
      "POST", "/api/admin/items",
      R"({"productName":"한정판 루테인","enterprise":"테스트","originPrice":10000,"stock":50,"mainFunction":"눈 건강"})",
      {admin});
  ASSERT_EQ(created.status, 201) << created.body;
  auto item = Json(created).at("data").at("itemId").as_int64();
  std::vector<std::string> users;
  for (int i = 0; i < 10; ++i) users.push_back(SignUpAndLogin("buyer" + std::to_string(i)));
  std::atomic<int> ok{0}, out{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = Send("POST", "/api/orders", OrderBody("[{\"itemId\":" + std::to_string(item) + ",\"quantity\":1}]"),
                      {users[t % users.size()]});
        (r.status == 201 ? ok : r.status == 409 ? out : other)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 50);
  EXPECT_EQ(out, 150);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(Json(Get("/api/items/" + std::to_string(item))).at("data").at("stock").as_int64(), 0);
}

TEST_P(CommerceApiTest, KeywordSearch_FindsAnItemTheAdminJustCreatedOrRenamed) {
  auto admin = Login("admin@pillivery.test", "Admin-pass-1234");
  auto search = [&](const std::string& encoded) {
    std::vector<std::string> names;
    auto body = Json(Get("/api/items?keyword=" + encoded));
    for (const auto& item : body.at("data").as_array()) names.emplace_back(item.at("productName").as_string());
    return names;
  };
  EXPECT_TRUE(search("%ED%95%9C%EC%A0%95%ED%8C%90").empty());  // 한정판: builds the index, nothing yet
  auto created = Send(
      "POST", "/api/admin/items",
      R"({"productName":"한정판 Lutein","enterprise":"테스트","originPrice":10000,"stock":5,"mainFunction":"눈 건강"})",
      {admin});
  ASSERT_EQ(created.status, 201) << created.body;
  auto id = std::to_string(Json(created).at("data").at("itemId").as_int64());
  EXPECT_EQ(search("%ED%95%9C%EC%A0%95%ED%8C%90"), std::vector<std::string>{"한정판 Lutein"});
  EXPECT_EQ(search("LUTEIN"), std::vector<std::string>{"한정판 Lutein"});
  ASSERT_EQ(Send("PATCH", "/api/admin/items/" + id, R"({"productName":"기간한정 Lutein"})", {admin}).status, 200);
  EXPECT_TRUE(search("%ED%95%9C%EC%A0%95%ED%8C%90").empty());  // 한정판 no longer
  ASSERT_EQ(Send("DELETE", "/api/admin/items/" + id, "", {admin}).status, 204);
  EXPECT_TRUE(search("lutein").empty());  // hidden: the database's own conditions still apply
}

TEST_P(CommerceApiTest, Reviews_OnlyPurchasersOncePerLineWithExactStatistics) {
  auto alice = SignUpAndLogin("alice");
  EXPECT_EQ(Send("POST", "/api/items/1/reviews", R"({"star":5,"content":"좋아요"})", {alice}).status, 403);
  auto order = Send("POST", "/api/orders", OrderBody(R"([{"itemId":1,"quantity":1}])"), {alice});
  ASSERT_EQ(order.status, 201);
  {
    storage::Database db(config_.db_url, 1);
    storage::OrderRepository orders(db);
    ASSERT_TRUE(orders.MarkPaid(Json(order).at("data").at("orderId").as_int64(), "KAKAOPAY", "T0", "t"));
  }
  for (const char* bad : {R"({"star":0,"content":"x"})", R"({"star":6,"content":"x"})", R"({"star":3,"content":""})",
                          R"({"star":"5","content":"x"})", R"({"star":3})"}) {
    EXPECT_EQ(Send("POST", "/api/items/1/reviews", bad, {alice}).status, 400) << bad;
  }
  EXPECT_EQ(Send("POST", "/api/items/1/reviews", "{\"star\":3,\"content\":\"" + std::string(1001, 'a') + "\"}", {alice})
                .status,
            400);
  auto created = Send("POST", "/api/items/1/reviews", R"({"star":4,"content":"눈이 편해요 ' OR 1=1"})", {alice});
  ASSERT_EQ(created.status, 201) << created.body;
  auto review_id = Json(created).at("data").at("reviewId").as_int64();
  EXPECT_EQ(Send("POST", "/api/items/1/reviews", R"({"star":5,"content":"again"})", {alice}).status, 409);
  auto detail = Json(Get("/api/items/1")).at("data");
  EXPECT_EQ(detail.at("reviewCount").as_int64(), 1);
  EXPECT_DOUBLE_EQ(detail.at("starAvg").as_double(), 4.0);

  auto bob = SignUpAndLogin("bob");
  auto path = "/api/reviews/" + std::to_string(review_id);
  EXPECT_EQ(Send("PATCH", path, R"({"star":1})", {bob}).status, 404);
  EXPECT_EQ(Send("DELETE", path, "", {bob}).status, 404);
  ASSERT_EQ(Send("PATCH", path, R"({"star":2})", {alice}).status, 200);
  EXPECT_DOUBLE_EQ(Json(Get("/api/items/1")).at("data").at("starAvg").as_double(), 2.0);
  auto list = Get("/api/items/1/reviews?sort=STAR_DESC");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list).at("data").at(0).at("content").as_string(), "눈이 편해요 ' OR 1=1");
  EXPECT_EQ(Get("/api/items/1/reviews?sort=BEST").status, 400);
  EXPECT_EQ(Send("DELETE", path, "", {alice}).status, 204);
  EXPECT_EQ(Json(Get("/api/items/1")).at("data").at("reviewCount").as_int64(), 0);
}

TEST_P(CommerceApiTest, Admin_ManagesItemsAndEveryCachedViewIsInvalidated) {
  auto admin = Login("admin@pillivery.test", "Admin-pass-1234");
  auto alice = SignUpAndLogin("alice");
  EXPECT_EQ(Send("POST", "/api/admin/items", R"({"productName":"x","enterprise":"y","originPrice":1})", {alice}).status,
            403);
  EXPECT_EQ(Send("POST", "/api/admin/items", R"({"productName":"x"})").status, 401);

  ASSERT_EQ(Get("/api/items/1").status, 200);  // cached now
  ASSERT_EQ(Get("/api/items/main").status, 200);
  auto patched = Send("PATCH", "/api/admin/items/1", R"({"originPrice":50000,"discountRate":20,"stock":3})", {admin});
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto detail = Json(Get("/api/items/1")).at("data");
  EXPECT_EQ(detail.at("realPrice").as_int64(), 40'000);
  EXPECT_EQ(detail.at("stock").as_int64(), 3);
  EXPECT_EQ(Json(Get("/api/items?category=EYE")).at("data").at(0).at("realPrice").as_int64(), 40'000);

  for (const char* bad : {R"({"discountRate":100.5})", R"({"discountRate":12.25})", R"({"originPrice":-1})",
                          R"({"status":"GONE"})", R"({"stock":"many"})"}) {
    EXPECT_EQ(Send("PATCH", "/api/admin/items/1", bad, {admin}).status, 400) << bad;
  }
  EXPECT_EQ(Send("PATCH", "/api/admin/items/999", R"({"stock":1})", {admin}).status, 404);
  EXPECT_EQ(Send("POST", "/api/admin/items", R"({"productName":"x"})", {admin}).status, 400);

  EXPECT_EQ(Send("DELETE", "/api/admin/items/1", "", {admin}).status, 204);
  EXPECT_EQ(Get("/api/items/1").status, 404);
  auto main_page = Json(Get("/api/items/main"));
  for (const auto& item : main_page.at("data").at("bestSellers").as_array()) EXPECT_NE(item.at("itemId").as_int64(), 1);

  Send("POST", "/api/orders", OrderBody(R"([{"itemId":3,"quantity":1}])"), {alice});
  auto orders = Get("/api/admin/orders?status=PENDING_PAYMENT", {admin});
  ASSERT_EQ(orders.status, 200) << orders.body;
  EXPECT_EQ(Json(orders).at("pageInfo").at("totalElements").as_int64(), 1);
  EXPECT_EQ(Get("/api/admin/orders", {alice}).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, CommerceApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
