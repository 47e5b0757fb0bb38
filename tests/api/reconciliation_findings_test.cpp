// Defects the 90-day reconciliation (tests/reconciliation) found, each as a
// scenario over real HTTP with the real pg-simulator, on both engines.
#include "api/journey_fixture.hpp"

namespace pillivery::testing {
namespace {

class ReconciliationFindingsTest : public JourneyTest {
 protected:
  std::int64_t StoredStock(int item) {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    long long stock = 0;
    *lease << "SELECT stock FROM items WHERE id = " + std::to_string(item), soci::into(stock);
    return stock;
  }
  std::string TidOf(const std::string& user, std::int64_t order) {
    return std::string(OrderOf(user, order).at("payment").at("tid").as_string());
  }
};

// Seed 20261202: an admin's refund that brought a PAID (not shipped) order to
// REFUNDED kept its units out of stock for ever, while the customer's own cancel
// of the same order gives them back. Refunded before shipping, nothing left the shelf.
TEST_P(ReconciliationFindingsTest, AdminRefundInFullBeforeShipping_GivesTheStockBack_AfterShippingItDoesNot) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  const auto before = StoredStock(4);
  auto order = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":3}])");
  Pay(kim, order);
  ASSERT_EQ(StoredStock(4), before - 3);
  auto total = OrderOf(kim, order).at("totalPrice").as_int64();
  auto path = "/api/admin/orders/" + std::to_string(order) + "/refund";
  ASSERT_EQ(Send("POST", path, R"({"amount":1000})", {admin_}).status, 200);
  EXPECT_EQ(StoredStock(4), before - 3);  // partly refunded: the order still ships
  auto rest = Send("POST", path, R"({"amount":)" + std::to_string(total - 1000) + "}", {admin_});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(Json(rest).at("data").at("status").as_string(), "REFUNDED");
  EXPECT_EQ(StoredStock(4), before);

  // Shipped, then refunded in full: the goods are gone, the stock stays down.
  auto shipped = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":2}])");
  Pay(kim, shipped);
  ASSERT_EQ(Send("POST", "/api/admin/orders/" + std::to_string(shipped) + "/ship",
                 R"({"carrier":"CJ","trackingNumber":"T-1"})", {admin_})
                .status,
            200);
  auto amount = OrderOf(kim, shipped).at("totalPrice").as_int64();
  ASSERT_EQ(Send("POST", "/api/admin/orders/" + std::to_string(shipped) + "/refund",
                 R"({"amount":)" + std::to_string(amount) + "}", {admin_})
                .status,
            200);
  EXPECT_EQ(StoredStock(4), before - 2);
}

// Seed 20261202: an admin refund whose answer the gateway lost (the refund was
// made) answered 503 and recorded nothing, so the store said the money was still
// paid; a second try then refunded it twice. The outcome is now resolved by
// looking the payment up, as approvals are.
TEST_P(ReconciliationFindingsTest, AdminRefundWhoseAnswerIsLost_IsResolvedByALookupAndRecordedOnce) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto order = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":1}])");
  Pay(kim, order);
  auto tid = TidOf(kim, order);
  ASSERT_EQ(HttpCall("POST", sim_ + "/__faults",
                     R"({"forcedErrors":[{"tid":")" + tid + R"(","operation":"cancel","fault":"lostResponse"}]})")
                .status,
            200);
  auto path = "/api/admin/orders/" + std::to_string(order) + "/refund";
  auto refund = Send("POST", path, R"({"amount":1000})", {admin_});
  ASSERT_EQ(refund.status, 200) << refund.body;
  EXPECT_EQ(Json(refund).at("data").at("payment").at("refundedAmount").as_int64(), 1000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);

  // A refused connection (nothing done): 503, nothing recorded, and a retry refunds once.
  ASSERT_EQ(HttpCall("POST", sim_ + "/__faults",
                     R"({"forcedErrors":[{"tid":")" + tid + R"(","operation":"cancel","fault":"connectionRefused"}]})")
                .status,
            200);
  EXPECT_EQ(Send("POST", path, R"({"amount":500})", {admin_}).status, 503);
  EXPECT_EQ(OrderOf(kim, order).at("payment").at("refundedAmount").as_int64(), 1000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);
  auto retry = Send("POST", path, R"({"amount":500})", {admin_});
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(Json(retry).at("data").at("payment").at("refundedAmount").as_int64(), 1500);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1500);
}

// Seed 20261202 on MariaDB: a renewal the gateway charged, whose answer was lost,
// stayed UNKNOWN for ever once its customer cancelled the subscription. The batch
// looked only at live subscriptions, and the cancel inactivated the SID, so no
// re-send could learn what the first send did: the money taken had no order and
// the cycle's units stayed reserved. An attempt under way when its subscription
// ends is still settled by the gateway's answer, and the SID is released after.
TEST_P(ReconciliationFindingsTest, RenewalLeftUnknownThenCancelled_IsSettledByTheNextRunThenTheSidIsReleased) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  const auto before = StoredStock(4);
  auto order = PlaceOrder(kim, "SUBSCRIPTION", R"([{"itemId":4,"quantity":2,"period":30}])");
  Pay(kim, order);
  auto subscription = SubscriptionOf(kim, order);
  const auto id = subscription.at("subscriptionId").as_int64();
  const auto due = std::string(subscription.at("nextPaymentDate").as_string());
  AdvanceTo(due);
  const auto partner_order_id = domain::CyclePartnerOrderId(id, *domain::Date::Parse(due));
  ASSERT_EQ(HttpCall("POST", sim_ + "/__faults",
                     R"({"forcedErrors":[{"partnerOrderId":")" + partner_order_id +
                         R"(","operation":"subscription","fault":"lostResponse"}]})")
                .status,
            200);
  EXPECT_EQ(RunBatch("", /*passes=*/1).run.unknown, 1);
  ASSERT_EQ(Ledger().size(), 2u);  // the first order and the renewal, whose answer was lost
  EXPECT_EQ(StoredStock(4), before - 4);
  auto cancel = Send("POST", "/api/subscriptions/" + std::to_string(id) + "/cancel", "{}", {kim});
  ASSERT_EQ(cancel.status, 200) << cancel.body;

  auto next = RunBatch();
  EXPECT_EQ(next.run.paid, 1);
  EXPECT_EQ(Ledger().size(), 2u);  // settled by the duplicate answer, not charged again
  auto charges = Get("/api/subscriptions/" + std::to_string(id) + "/charges?size=100", {kim});
  ASSERT_EQ(charges.status, 200) << charges.body;
  auto rows = Json(charges).at("data").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("result").as_string(), "PAID");
  ASSERT_TRUE(rows[0].as_object().contains("renewalOrderId")) << rows[0];
  EXPECT_EQ(OrderOf(kim, rows[0].at("renewalOrderId").as_int64()).at("status").as_string(), "PAID");
  EXPECT_EQ(StoredStock(4), before - 4);  // the renewal's units belong to its order
  EXPECT_EQ(SubscriptionOf(kim, order).at("status").as_string(), "CANCELLED");
  // The SID goes once nothing is left to settle with it.
  EXPECT_TRUE(Eventually([&] {
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    std::string status;
    *lease << "SELECT m.status FROM payment_methods m JOIN subscriptions s ON s.sid = m.sid WHERE s.id = " +
                  std::to_string(id),
        soci::into(status);
    return status == "INACTIVE";
  }));
}

// Seed 20261202 on MariaDB: an admin's full refund was made at the gateway, then
// its recording transaction was picked as a deadlock's victim (giving the stock
// back met an outbox batch locking items in another order) and answered 503. The
// store still said paid; the gateway had refunded; a retry was refused as more
// than the gateway had left. After the gateway has moved the money, the recording
// tries again. Here the deadlock is made on purpose: another transaction, heavier
// (so MariaDB rolls the refund back, not it), holds the item's row and then asks
// for the order's row the refund holds.
TEST_P(ReconciliationFindingsTest, AdminRefundWhoseRecordingIsADeadlocksVictim_IsRecordedOnceAllTheSame) {
  if (GetParam() != "mariadb") GTEST_SKIP() << "SQLite writers queue; they do not deadlock";
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  const auto before = StoredStock(4);
  auto order = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":2}])");
  Pay(kim, order);
  const auto total = OrderOf(kim, order).at("totalPrice").as_int64();

  storage::Database db(config_.db_url, 1);
  auto blocker = db.Acquire();
  *blocker << "START TRANSACTION";
  // Weight, so the refund is the lighter transaction: rows of no order (an
  // order's own would lock its row through v030's trigger, and the refund would
  // wait there before it reached the item).
  for (int i = 0; i < 200; ++i)
    *blocker << "INSERT INTO order_status_history(order_id, status, at) VALUES(0, 'PAID', 'ballast')";
  long long stock = 0;
  *blocker << "SELECT stock FROM items WHERE id = 4 FOR UPDATE", soci::into(stock);

  HttpResult refund;
  std::thread admin([&] {
    refund = Send("POST", "/api/admin/orders/" + std::to_string(order) + "/refund",
                  R"({"amount":)" + std::to_string(total) + "}", {admin_});
  });
  // Once the refund waits for the item's row, ask for the order's row it holds.
  storage::Database watcher(config_.db_url, 1);
  EXPECT_TRUE(Eventually([&] {
    auto lease = watcher.Acquire();
    long long waiting = 0;
    *lease << "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE items SET stock%'",
        soci::into(waiting);
    return waiting > 0;
  }));
  try {
    *blocker << "UPDATE orders SET refunded_amount = refunded_amount WHERE id = " + std::to_string(order);
  } catch (const std::exception&) {
    // Had MariaDB picked this transaction instead, the refund simply goes on.
  }
  *blocker << "ROLLBACK";
  admin.join();

  ASSERT_EQ(refund.status, 200) << refund.body;
  EXPECT_EQ(Json(refund).at("data").at("status").as_string(), "REFUNDED");
  EXPECT_EQ(LedgerTotal("CANCEL"), total);
  EXPECT_EQ(OrderOf(kim, order).at("payment").at("refundedAmount").as_int64(), total);
  EXPECT_EQ(StoredStock(4), before);
}

// Replays of seed 20261202 on SQLite (CI, 2026-12-03): an admin refund whose
// answer was lost, and whose lookups all failed too, answered 503 and recorded
// nothing. The gateway had refunded, so the store said the money was still paid,
// and nothing ever looked again. Now the refund is held as in doubt: the outbox
// asks the gateway until it answers and records the refund if it was made, and
// the order takes no other refund (and no cancel) while it is in doubt.
TEST_P(ReconciliationFindingsTest, AdminRefundWhoseAnswerAndLookupsAreLost_IsSettledByTheOutboxOnce) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto order = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":1}])");
  Pay(kim, order);
  auto tid = TidOf(kim, order);
  // The cancel is made and its answer lost; the three lookups after it fail.
  ASSERT_EQ(HttpCall("POST", sim_ + "/__faults",
                     R"({"forcedErrors":[{"tid":")" + tid + R"(","operation":"cancel","fault":"lostResponse"},)" +
                         R"({"tid":")" + tid + R"(","operation":"order","fault":"connectionRefused","times":3}]})")
                .status,
            200);
  auto path = "/api/admin/orders/" + std::to_string(order) + "/refund";
  auto refund = Send("POST", path, R"({"amount":1000})", {admin_});
  ASSERT_EQ(refund.status, 503) << refund.body;
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);  // the gateway did refund

  // Settled by the outbox: recorded once, as the gateway shows it.
  EXPECT_TRUE(Eventually([&] { return OrderOf(kim, order).at("payment").at("refundedAmount").as_int64() == 1000; }))
      << OrderOf(kim, order);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);
  auto next = Send("POST", path, R"({"amount":500})", {admin_});
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(Json(next).at("data").at("payment").at("refundedAmount").as_int64(), 1500);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1500);
}

// The other side of the doubt: the gateway failed before it refunded (a server
// error) and nothing answered the lookups. While the outbox cannot ask, the order
// takes no other refund and no cancel (409 REFUND_BEING_CONFIRMED); once it can,
// it records nothing, and the refund may be sent again.
TEST_P(ReconciliationFindingsTest, AdminRefundInDoubtThatWasNotMade_BlocksOtherRefundsThenIsForgotten) {
  auto kim = SignUpAndLogin("kim", "010-1111-2222");
  auto order = PlaceOrder(kim, "ONE_TIME", R"([{"itemId":4,"quantity":1}])");
  Pay(kim, order);
  auto tid = TidOf(kim, order);
  ASSERT_EQ(HttpCall("POST", sim_ + "/__faults",
                     R"({"forcedErrors":[{"tid":")" + tid + R"(","operation":"cancel","fault":"serverError"},)" +
                         R"({"tid":")" + tid + R"(","operation":"order","fault":"connectionRefused","times":-1}]})")
                .status,
            200);
  auto path = "/api/admin/orders/" + std::to_string(order) + "/refund";
  ASSERT_EQ(Send("POST", path, R"({"amount":1000})", {admin_}).status, 503);
  auto again = Send("POST", path, R"({"amount":1000})", {admin_});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("REFUND_BEING_CONFIRMED"), std::string::npos) << again.body;
  auto cancel = Send("POST", "/api/orders/" + std::to_string(order) + "/cancel", "", {kim});
  EXPECT_EQ(cancel.status, 409) << cancel.body;
  EXPECT_NE(cancel.body.find("REFUND_BEING_CONFIRMED"), std::string::npos) << cancel.body;
  EXPECT_EQ(LedgerTotal("CANCEL"), 0);

  // The gateway answers again: nothing was refunded, so nothing is recorded.
  ASSERT_EQ(HttpCall("DELETE", sim_ + "/__faults").status, 200);
  // The outbox tries again on its backoff (1 s, 2 s, ...): wait up to 15 s.
  bool refunded = false;
  for (int i = 0; i < 3 && !refunded; ++i)
    refunded = Eventually([&] { return Send("POST", path, R"({"amount":1000})", {admin_}).status == 200; });
  EXPECT_TRUE(refunded);
  EXPECT_EQ(OrderOf(kim, order).at("payment").at("refundedAmount").as_int64(), 1000);
  EXPECT_EQ(LedgerTotal("CANCEL"), 1000);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReconciliationFindingsTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
