// Fulfilment and the admin catalog list over real HTTP with the real
// pg-simulator, on both engines (issue #12 items 8 and 11).
#include "api/journey_fixture.hpp"

namespace pillivery::testing {
namespace {

class FulfilmentApiTest : public JourneyTest {
 protected:
  boost::json::object Queue(const std::string& query = "") {
    auto r = Get("/api/admin/fulfilment/queue" + query, {admin_});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).as_object();
  }
  static std::vector<std::int64_t> Ids(const boost::json::object& page) {
    std::vector<std::int64_t> ids;
    for (const auto& o : page.at("data").as_array()) ids.push_back(o.at("orderId").as_int64());
    return ids;
  }
  static std::vector<std::string> History(const boost::json::object& order) {
    std::vector<std::string> out;
    for (const auto& h : order.at("statusHistory").as_array()) out.emplace_back(h.at("status").as_string());
    return out;
  }
  std::string Ship(std::int64_t id) { return "/api/admin/orders/" + std::to_string(id) + "/ship"; }
};

TEST_P(FulfilmentApiTest, Queue_ListsPaidOrdersOldestFirstWithRenewals_ShipAndDeliverShowOnTheOrder) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto one_time = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  Pay(kim, one_time);
  auto subscription_order = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":1,"period":7}])");
  Pay(kim, subscription_order);
  PlaceOrder(kim, "ONE_TIME", R"([{"itemId":6,"quantity":1}])");  // unpaid: not to ship

  // A week later the billing job renews the subscription: the renewal is a PAID order to ship too.
  AdvanceTo(std::string(SubscriptionOf(kim, subscription_order).at("nextPaymentDate").as_string()));
  ASSERT_EQ(RunBatch().run.paid, 1);
  auto queue = Queue();
  ASSERT_EQ(Ids(queue).size(), 3u) << boost::json::serialize(queue);
  EXPECT_EQ(Ids(queue)[0], one_time);
  EXPECT_EQ(Ids(queue)[1], subscription_order);
  auto renewal = Ids(queue)[2];
  EXPECT_EQ(queue.at("pageInfo").at("totalElements").as_int64(), 3);
  EXPECT_EQ(Ids(Queue("?page=2&size=2")), std::vector<std::int64_t>{renewal});

  auto shipped =
      Send("POST", Ship(one_time), R"({"carrier":"CJ대한통운","trackingNumber":"6012-3456-7890"})", {admin_});
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(Json(shipped).at("data").at("status").as_string(), "SHIPPED");
  auto order = OrderOf(kim, one_time);  // the customer sees it
  EXPECT_EQ(order.at("status").as_string(), "SHIPPED");
  EXPECT_EQ(order.at("shipment").at("carrier").as_string(), "CJ대한통운");
  EXPECT_EQ(order.at("shipment").at("trackingNumber").as_string(), "6012-3456-7890");
  EXPECT_TRUE(order.at("shipment").as_object().contains("shippedAt"));
  EXPECT_FALSE(order.at("shipment").as_object().contains("deliveredAt"));
  EXPECT_EQ(History(order), (std::vector<std::string>{"PENDING_PAYMENT", "PAID", "SHIPPED"}));
  EXPECT_EQ(Ids(Queue()), (std::vector<std::int64_t>{subscription_order, renewal}));
  ASSERT_EQ(Send("POST", Ship(renewal), R"({"carrier":"우체국","trackingNumber":"R-1"})", {admin_}).status, 200);
  EXPECT_EQ(Notices("ORDER_SHIPPED"), 2);  // the customer is told, with the shipment

  // Shipped: the customer can no longer cancel; nothing is refunded.
  auto cancel = Send("POST", "/api/orders/" + std::to_string(one_time) + "/cancel", "", {kim});
  EXPECT_EQ(cancel.status, 409) << cancel.body;
  EXPECT_EQ(Json(cancel).at("code").as_string(), "ORDER_ALREADY_SHIPPED");
  EXPECT_EQ(OrderOf(kim, one_time).at("status").as_string(), "SHIPPED");
  EXPECT_EQ(LedgerTotal("CANCEL"), 0);
  auto again = Send("POST", Ship(one_time), R"({"carrier":"CJ","trackingNumber":"1"})", {admin_});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Json(again).at("code").as_string(), "ORDER_NOT_SHIPPABLE");
  EXPECT_EQ(Notices("ORDER_SHIPPED"), 2);

  auto deliver = "/api/admin/orders/" + std::to_string(one_time) + "/deliver";
  auto delivered = Send("POST", deliver, "", {admin_});
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  order = OrderOf(kim, one_time);
  EXPECT_EQ(order.at("status").as_string(), "DELIVERED");
  EXPECT_TRUE(order.at("shipment").as_object().contains("deliveredAt"));
  EXPECT_EQ(order.at("shipment").at("carrier").as_string(), "CJ대한통운");
  EXPECT_EQ(History(order), (std::vector<std::string>{"PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED"}));
  EXPECT_EQ(Json(Send("POST", deliver, "", {admin_})).at("code").as_string(), "ORDER_NOT_DELIVERABLE");
  auto unshipped = "/api/admin/orders/" + std::to_string(subscription_order) + "/deliver";
  EXPECT_EQ(Send("POST", unshipped, "", {admin_}).status, 409);

  // After delivery an admin may still refund, through the gateway.
  auto refund =
      Send("POST", "/api/admin/orders/" + std::to_string(one_time) + "/refund", R"({"amount":27000})", {admin_});
  ASSERT_EQ(refund.status, 200) << refund.body;
  EXPECT_EQ(Json(refund).at("data").at("payment").at("refundedAmount").as_int64(), 27'000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 27'000);
}

TEST_P(FulfilmentApiTest, CustomerCancelsBeforeShipping_IsRefundedAndTheOrderCannotShipAfterwards) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto id = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":3,"quantity":2}])");  // 22,500
  Pay(kim, id);
  auto cancelled = Send("POST", "/api/orders/" + std::to_string(id) + "/cancel", "", {kim});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(Json(cancelled).at("data").at("status").as_string(), "REFUNDED");
  EXPECT_TRUE(Eventually([&] { return LedgerTotal("CANCEL") == 22'500; }));
  auto ship = Send("POST", Ship(id), R"({"carrier":"CJ","trackingNumber":"1"})", {admin_});
  EXPECT_EQ(ship.status, 409);
  EXPECT_EQ(Json(ship).at("code").as_string(), "ORDER_NOT_SHIPPABLE");
  EXPECT_TRUE(Queue().at("data").as_array().empty());
  EXPECT_FALSE(OrderOf(kim, id).contains("shipment"));
}

TEST_P(FulfilmentApiTest, BadInputAndNonAdmins_GetProblemsAndChangeNothing) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto id = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":1,"quantity":1}])");
  Pay(kim, id);
  auto before = OrderOf(kim, id);
  for (const char* path : {"/api/admin/fulfilment/queue"}) {
    EXPECT_EQ(Get(path).status, 401);
    EXPECT_EQ(Get(path, {kim}).status, 403);
  }
  const std::string ship = Ship(id), deliver = "/api/admin/orders/" + std::to_string(id) + "/deliver";
  const std::string body = R"({"carrier":"CJ","trackingNumber":"1"})";
  EXPECT_EQ(Send("POST", ship, body).status, 401);
  EXPECT_EQ(Send("POST", ship, body, {kim}).status, 403);
  EXPECT_EQ(Send("POST", deliver, "").status, 401);
  EXPECT_EQ(Send("POST", deliver, "", {kim}).status, 403);
  const std::string long_carrier(41, 'c'), long_tracking(65, '1');
  for (const std::string& bad :
       {std::string("{}"), std::string(R"({"carrier":"CJ"})"), std::string(R"({"trackingNumber":"1"})"),
        std::string(R"({"carrier":"  ","trackingNumber":"1"})"), std::string(R"({"carrier":"CJ","trackingNumber":""})"),
        std::string(R"({"carrier":"CJ","trackingNumber":"12 34"})"),
        std::string(R"({"carrier":"CJ","trackingNumber":12345})"), std::string(R"({"carrier":7,"trackingNumber":"1"})"),
        R"({"carrier":")" + long_carrier + R"(","trackingNumber":"1"})",
        R"({"carrier":"CJ","trackingNumber":")" + long_tracking + R"("})", std::string("not json"),
        std::string(R"({"carrier":"CJ","carrier":"X","trackingNumber":"1"})")}) {
    auto r = Send("POST", ship, bad, {admin_});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << bad;
  }
  EXPECT_EQ(Send("POST", "/api/admin/orders/abc/ship", body, {admin_}).status, 400);
  EXPECT_EQ(Send("POST", "/api/admin/orders/999999/ship", body, {admin_}).status, 404);
  EXPECT_EQ(Send("POST", "/api/admin/orders/999999/deliver", "", {admin_}).status, 404);
  EXPECT_EQ(Get("/api/admin/fulfilment/queue?page=0", {admin_}).status, 400);
  EXPECT_EQ(Get("/api/admin/fulfilment/queue?size=abc", {admin_}).status, 400);
  auto after = OrderOf(kim, id);
  EXPECT_EQ(after, before);
  EXPECT_EQ(Notices("ORDER_SHIPPED"), 0);
  EXPECT_EQ(after.at("status").as_string(), "PAID");
}

TEST_P(FulfilmentApiTest, AdminItems_ListsHiddenItemsFilteredByStatusStockAndKeyword) {
  auto count = [&](const std::string& query) {
    auto r = Get("/api/admin/items" + query, {admin_});
    EXPECT_EQ(r.status, 200) << query << " " << r.body;
    return Json(r).at("pageInfo").at("totalElements").as_int64();
  };
  EXPECT_EQ(count(""), 8);  // the public list shows 7: item 8 is HIDDEN
  EXPECT_EQ(Json(Get("/api/items")).at("pageInfo").at("totalElements").as_int64(), 7);
  EXPECT_EQ(count("?status=HIDDEN"), 1);
  EXPECT_EQ(count("?status=ON_SALE"), 7);
  EXPECT_EQ(count("?stock=OUT_OF_STOCK"), 1);  // item 2
  EXPECT_EQ(count("?stock=IN_STOCK"), 7);
  EXPECT_EQ(count("?status=HIDDEN&stock=IN_STOCK"), 1);
  EXPECT_EQ(count("?keyword=%EC%86%94%EA%B0%80"), 2);  // 솔가: items 2 and 8
  EXPECT_EQ(count("?keyword=%EC%86%94%EA%B0%80&status=HIDDEN"), 1);
  EXPECT_EQ(count("?keyword=rtg"), 1);  // 오메가3_rTG, case-insensitive
  EXPECT_EQ(count("?keyword=_"), 1);    // '_' is literal, not a wildcard
  auto page = Json(Get("/api/admin/items?status=HIDDEN", {admin_})).at("data").at(0);
  EXPECT_EQ(page.at("itemId").as_int64(), 8);
  EXPECT_EQ(page.at("status").as_string(), "HIDDEN");
  EXPECT_EQ(page.at("stock").as_int64(), 10);
  auto first = Json(Get("/api/admin/items?size=3&page=1", {admin_}));
  EXPECT_EQ(first.at("data").as_array().size(), 3u);
  EXPECT_EQ(first.at("data").at(0).at("itemId").as_int64(), 8);  // newest first
  EXPECT_EQ(first.at("pageInfo").at("totalPages").as_int64(), 3);

  // A change shows at once: hiding an item and selling out another.
  ASSERT_EQ(Send("DELETE", "/api/admin/items/1", "", {admin_}).status, 204);
  ASSERT_EQ(Send("PATCH", "/api/admin/items/3", R"({"stock":0})", {admin_}).status, 200);
  EXPECT_EQ(count("?status=HIDDEN"), 2);
  EXPECT_EQ(count("?stock=OUT_OF_STOCK"), 2);

  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  EXPECT_EQ(Get("/api/admin/items").status, 401);
  EXPECT_EQ(Get("/api/admin/items", {kim}).status, 403);
  for (const std::string& bad : {std::string("?status=GONE"), std::string("?stock=SOME"), std::string("?page=0"),
                                 std::string("?size=-1"), "?keyword=" + std::string(101, 'a')}) {
    auto r = Get("/api/admin/items" + bad, {admin_});
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, FulfilmentApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
