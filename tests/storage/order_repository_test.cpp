#include "storage/order_repository.hpp"

#include "domain/error.hpp"
#include "service/ordering/checkout.hpp"
#include "storage/cart_repository.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/row_reader.hpp"
#include "storage/unit_of_work.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using domain::OrderStatus;

class OrderRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 16);
    Migrate(*db_, testing::RealClock());
    items_ = std::make_unique<ItemRepository>(*db_, testing::RealClock());
    items_->InsertMany(testing::SampleCatalog());
    orders_ = std::make_unique<OrderRepository>(*db_);
    checkout_ = std::make_unique<service::Checkout>(*db_, *orders_);
  }
  domain::CheckoutRequest Request(std::int64_t user, std::vector<domain::LineRequest> lines) {
    domain::CheckoutRequest o;
    o.user_id = user;
    o.lines = std::move(lines);
    o.receiver = {"홍길동", "010-1234-5678", "서울", "강남구 1"};
    o.now_ms = 1'000;
    o.expires_at_ms = 1'000 + 30 * 60 * 1000;
    o.now_iso = "2026-11-24T10:00:00.000+09:00";
    return o;
  }
  std::int64_t Stock(std::int64_t id) { return items_->FindById(id, true)->stock; }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ItemRepository> items_;
  std::unique_ptr<OrderRepository> orders_;
  std::unique_ptr<service::Checkout> checkout_;
};

// Issue #18: on MariaDB an order's lines and history sit together under a key
// that starts with the order (a page of orders reads ranges, not rows one by one
// through an index); `id` stays unique. SQLite keeps its rowid tables and indexes.
TEST_P(OrderRepositoryTest, LinesAndHistory_AreKeyedByTheirOrderFirstOnMariaDb) {
  auto lease = db_->Acquire();
  for (const std::string table : {"order_lines", "order_status_history"}) {
    if (GetParam() != "mariadb") {
      int indexes = 0;
      *lease << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + table +
                    "' AND sql LIKE '%(order_id%'",
          soci::into(indexes);
      EXPECT_EQ(indexes, 1) << table;
      continue;
    }
    soci::rowset<std::string> pk = (lease->prepare << "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE "
                                                      "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
                                                          table + "' AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX");
    std::vector<std::string> columns(pk.begin(), pk.end());
    EXPECT_EQ(columns, (std::vector<std::string>{"order_id", "id"})) << table;
    int unique_on_id = 0;
    *lease << "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
                  table +
                  "' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' AND COLUMN_NAME = 'id' AND SEQ_IN_INDEX = 1",
        soci::into(unique_on_id);
    EXPECT_EQ(unique_on_id, 1) << table;
  }
}

TEST_P(OrderRepositoryTest, Create_PricesFromTheCatalogAndReservesStock) {
  auto order = checkout_->Place(Request(7, {{1, 2, {}}, {3, 1, {}}}));
  EXPECT_GT(order.id, 0);
  EXPECT_EQ(order.status, OrderStatus::kPendingPayment);
  EXPECT_EQ(order.totals.item_count, 3);
  EXPECT_EQ(order.totals.total_origin_price, 2 * 30'000 + 15'000);
  EXPECT_EQ(order.totals.total_price, 2 * 27'000 + 11'250);
  EXPECT_EQ(order.totals.total_discount_price, 6'000 + 3'750);
  EXPECT_EQ(Stock(1), 8);
  EXPECT_EQ(Stock(3), 4);
  auto stored = orders_->Find(order.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->lines.size(), 2u);
  EXPECT_EQ(stored->lines[0].unit_real_price, 27'000);
  ASSERT_EQ(stored->history.size(), 1u);
  EXPECT_EQ(stored->history[0].status, OrderStatus::kPendingPayment);
  EXPECT_EQ(stored->receiver.name, "홍길동");
}

TEST_P(OrderRepositoryTest, Create_WhenStockIsShort_ReservesNothingAndNamesTheItems) {
  try {
    checkout_->Place(Request(7, {{1, 2, {}}, {2, 1, {}}, {3, 6, {}}}));  // 2 has none, 3 has 5
    FAIL();
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "OUT_OF_STOCK");
    EXPECT_EQ(e.Errors().size(), 2u);
  }
  EXPECT_EQ(Stock(1), 10);
  EXPECT_EQ(Stock(3), 5);
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 0);
}

TEST_P(OrderRepositoryTest, Create_WhenItemIsMissingOrHidden_AnswersItemNotFound) {
  EXPECT_THROW(checkout_->Place(Request(7, {{999, 1, {}}})), domain::Error);
  EXPECT_THROW(checkout_->Place(Request(7, {{8, 1, {}}})), domain::Error);
  EXPECT_EQ(Stock(8), 10);
}

TEST_P(OrderRepositoryTest, Create_WithAReusedIdempotencyKey_ReturnsTheFirstOrder) {
  auto request = Request(7, {{1, 1, {}}});
  request.idempotency_key = "key-1";
  auto first = checkout_->Place(request);
  auto second = checkout_->Place(request);
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(Stock(1), 9);
  auto other_user = Request(8, {{1, 1, {}}});
  other_user.idempotency_key = "key-1";  // keys are per user
  EXPECT_NE(checkout_->Place(other_user).id, first.id);
}

TEST_P(OrderRepositoryTest, Checkout_WhenStockRunsOut_RejectsTheLastBuyers) {
  auto item = testing::MakeItem("한정판", "브랜드", "눈", 10'000, 0, 50);
  std::int64_t id = items_->Insert(item);
  std::atomic<int> ok{0}, out_of_stock{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 20; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        try {
          checkout_->Place(Request(100 + t, {{id, 1, {}}}));
          ++ok;
        } catch (const domain::Error& e) {
          (e.Code() == "OUT_OF_STOCK" ? out_of_stock : other)++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 50);
  EXPECT_EQ(out_of_stock, 150);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(Stock(id), 0);
  // The reserved quantities add up to what was sold.
  std::int64_t reserved = 0;
  for (int t = 0; t < 20; ++t)
    for (const auto& o : orders_->List(100 + t, std::nullopt, {1, 100}).orders) reserved += o.totals.item_count;
  EXPECT_EQ(reserved, 50);
}

// Two requests with one idempotency key, both past the replay lookup: the
// unique key lets one insert; the other answers with the order it committed.
TEST_P(OrderRepositoryTest, Checkout_WhenRequestsRaceWithOneIdempotencyKey_PlacesOneOrderAndAnswersItToAll) {
  constexpr int kThreads = 8;
  std::vector<std::int64_t> ids(kThreads);
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto request = Request(7, {{1, 1, {}}, {3, 1, {}}});
      request.idempotency_key = "race-1";
      request.open_limits = domain::OpenOrderLimits{5, 99};
      try {
        ids[t] = checkout_->Place(request).id;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed, 0);
  for (auto id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(Stock(1), 9);
  EXPECT_EQ(Stock(3), 4);
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 1);
  EXPECT_EQ(orders_->Find(ids[0])->lines.size(), 2u);
}

// The apply step alone: a line short is an outcome, not an exception, so the
// service decides what it means (OUT_OF_STOCK) and rolls back.
TEST_P(OrderRepositoryTest, Place_WhenStockIsShort_ReportsTheShortLinesAndInsertsNothing) {
  auto request = Request(7, {{3, 6, {}}, {1, 2, {}}, {2, 1, {}}});  // 2 has none, 3 has 5
  {
    UnitOfWork work(*db_);
    domain::CheckoutFacts facts;
    facts.offers = orders_->ReadOffers(work, domain::CheckoutLines(request.lines));
    auto placement = orders_->Place(work, domain::DecideCheckout(request, facts));
    EXPECT_EQ(placement.result, OrderRepository::PlaceResult::kOutOfStock);
    ASSERT_EQ(placement.shortages.size(), 2u);
    EXPECT_EQ(placement.shortages[0].item_id, 2);  // in item-id order, as the rows were locked
    EXPECT_EQ(placement.shortages[1].item_id, 3);
    EXPECT_EQ(placement.shortages[1].quantity, 6);
  }
  EXPECT_EQ(Stock(1), 10);
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 0);
}

// What the open-order limits are decided from: the account's unpaid orders only.
TEST_P(OrderRepositoryTest, LockOpenOrders_ReadsWhatTheAccountsUnpaidOrdersHold) {
  checkout_->Place(Request(7, {{1, 2, {}}, {3, 1, {}}}));
  checkout_->Place(Request(7, {{1, 1, {}}}));
  auto cancelled = checkout_->Place(Request(7, {{3, 4, {}}}));
  orders_->CancelPending(cancelled.id, "t");
  checkout_->Place(Request(9, {{1, 1, {}}}));
  UnitOfWork work(*db_);
  auto open = orders_->LockOpenOrders(work, 7);
  EXPECT_EQ(open.count, 2);
  std::sort(open.quantity_by_item.begin(), open.quantity_by_item.end());
  EXPECT_EQ(open.quantity_by_item, (std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 3}, {3, 1}}));
}

TEST_P(OrderRepositoryTest, CancelAndExpiry_GiveTheStockBackOnce) {
  auto a = checkout_->Place(Request(7, {{1, 3, {}}}));
  EXPECT_EQ(Stock(1), 7);
  EXPECT_TRUE(orders_->CancelPending(a.id, "t1"));
  EXPECT_FALSE(orders_->CancelPending(a.id, "t2"));  // already cancelled: no second release
  EXPECT_EQ(Stock(1), 10);
  auto found = orders_->Find(a.id);
  EXPECT_EQ(found->status, OrderStatus::kCancelled);
  EXPECT_EQ(found->history.size(), 2u);

  auto b = checkout_->Place(Request(7, {{1, 4, {}}}));
  EXPECT_EQ(orders_->ExpireUnpaid(1'000 + 29 * 60 * 1000, "t", 100), 0);
  EXPECT_EQ(orders_->ExpireUnpaid(1'000 + 30 * 60 * 1000, "t", 100), 1);
  EXPECT_EQ(orders_->Find(b.id)->status, OrderStatus::kCancelled);
  EXPECT_EQ(Stock(1), 10);
}

TEST_P(OrderRepositoryTest, List_IsNewestFirstFilteredAndPaged) {
  for (int i = 0; i < 5; ++i) checkout_->Place(Request(7, {{1, 1, {}}}));
  checkout_->Place(Request(9, {{1, 1, {}}}));
  auto first = orders_->Find(1);
  orders_->CancelPending(1, "t");
  auto page = orders_->List(7, std::nullopt, {1, 2});
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.orders.size(), 2u);
  EXPECT_EQ(page.orders[0].id, 5);
  EXPECT_EQ(page.orders[0].lines.size(), 1u);
  EXPECT_EQ(orders_->List(7, OrderStatus::kCancelled, {}).total, 1);
  EXPECT_EQ(orders_->List(std::nullopt, std::nullopt, {}).total, 6);
}

TEST_P(OrderRepositoryTest, List_OfOneAccount_TotalsFromTheKeptCountWhichOnlyPlacedOrdersMove) {
  checkout_->Place(Request(7, {{1, 1, {}}}));
  checkout_->Place(Request(7, {{3, 1, {}}, {1, 2, {}}}));
  checkout_->Place(Request(9, {{1, 1, {}}}));
  // A checkout refused for stock, and one that repeats an idempotency key: no order, no count.
  EXPECT_THROW(checkout_->Place(Request(7, {{1, 500, {}}})), domain::Error);
  auto keyed = Request(7, {{3, 1, {}}});
  keyed.idempotency_key = "k-1";
  checkout_->Place(keyed);
  checkout_->Place(keyed);
  orders_->CancelPending(1, "t");  // a state change is not a new order
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 3);
  EXPECT_EQ(orders_->List(9, std::nullopt, {}).total, 1);
  EXPECT_EQ(orders_->List(8, std::nullopt, {}).total, 0);  // an account with no orders has no row
  // The same totals as counting the orders, state by state.
  std::int64_t by_state = 0;
  for (auto status : {OrderStatus::kPendingPayment, OrderStatus::kCancelled})
    by_state += orders_->List(7, status, {}).total;
  EXPECT_EQ(by_state, 3);
}

TEST_P(OrderRepositoryTest, Pages_ReadLinesAndHistoryOfEveryOrderInIdOrder) {
  // Pages of every size from one order to all five: each order keeps its own lines and history.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(checkout_->Place(Request(7, {{1, 1, {}}, {3, 1, {}}})).id);
  orders_->CancelPending(ids[1], "2026-11-24T10:05:00.000+09:00");
  for (int size : {1, 2, 3, 4, 5}) {
    auto page = orders_->List(7, std::nullopt, {1, size});
    ASSERT_EQ(page.orders.size(), static_cast<std::size_t>(size));
    for (const auto& order : page.orders) {
      ASSERT_EQ(order.lines.size(), 2u) << "order " << order.id << " in a page of " << size;
      EXPECT_LT(order.lines[0].line_id, order.lines[1].line_id);
      EXPECT_EQ(order.lines[0].item_id, 1);
      EXPECT_EQ(order.history.size(), order.id == ids[1] ? 2u : 1u);
      EXPECT_EQ(order.history.front().status, OrderStatus::kPendingPayment);
    }
  }
  auto cancelled = orders_->Find(ids[1]);  // one order read alone
  ASSERT_EQ(cancelled->lines.size(), 2u);
  EXPECT_LT(cancelled->lines[0].line_id, cancelled->lines[1].line_id);
  ASSERT_EQ(cancelled->history.size(), 2u);
  EXPECT_EQ(cancelled->history[0].status, OrderStatus::kPendingPayment);
  EXPECT_EQ(cancelled->history[1].status, OrderStatus::kCancelled);
  EXPECT_EQ(cancelled->history[1].at, "2026-11-24T10:05:00.000+09:00");
}

// Issue #18 (v030): an order's row carries its lines and history, appended by
// triggers whoever inserts the rows; what Find and a page read from it is what
// the tables hold, text escaped and in id order.
std::vector<std::string> TableRows(soci::session& s, std::int64_t order_id) {
  std::vector<std::string> rows;
  soci::rowset<soci::row> lines = (s.prepare << "SELECT id, item_id, product_name, thumbnail_url, quantity, "
                                                "period, unit_origin_price, unit_real_price FROM order_lines "
                                                "WHERE order_id = :o ORDER BY id",
                                   soci::use(order_id));
  for (const auto& r : lines) {
    std::string period = r.get_indicator(5) == soci::i_null ? "-" : std::to_string(GetInt64(r, 5));
    rows.push_back("line " + std::to_string(GetInt64(r, 0)) + " " + std::to_string(GetInt64(r, 1)) + " " +
                   r.get<std::string>(2) + " " + r.get<std::string>(3) + " " + std::to_string(GetInt64(r, 4)) + " " +
                   period + " " + std::to_string(GetInt64(r, 6)) + " " + std::to_string(GetInt64(r, 7)));
  }
  soci::rowset<soci::row> history =
      (s.prepare << "SELECT status, at FROM order_status_history WHERE order_id = :o ORDER BY id", soci::use(order_id));
  for (const auto& r : history) rows.push_back("status " + r.get<std::string>(0) + " " + r.get<std::string>(1));
  return rows;
}
std::vector<std::string> ReadRows(const domain::Order& order) {
  std::vector<std::string> rows;
  for (const auto& l : order.lines) {
    rows.push_back("line " + std::to_string(l.line_id) + " " + std::to_string(l.item_id) + " " + l.product_name + " " +
                   l.thumbnail_url + " " + std::to_string(l.quantity) + " " +
                   (l.period ? std::to_string(*l.period) : "-") + " " + std::to_string(l.unit_origin_price) + " " +
                   std::to_string(l.unit_real_price));
  }
  for (const auto& h : order.history) rows.push_back("status " + std::string(domain::CodeOf(h.status)) + " " + h.at);
  return rows;
}

TEST_P(OrderRepositoryTest, ReadModel_CarriesWhatTheTablesHoldWhoeverWroteThem) {
  auto first = checkout_->Place(Request(7, {{1, 2, {}}, {3, 1, 30}}));
  auto second = checkout_->Place(Request(7, {{1, 1, {}}}));
  ASSERT_TRUE(orders_->MarkPaid(first.id, "KAKAOPAY", "T-1", "2026-11-24T10:01:00.000+09:00"));
  orders_->CancelPending(second.id, "2026-11-24T10:02:00.000+09:00");
  auto lease = db_->Acquire();
  // Rows written by hand, as the seeder or an operator would: text that JSON must escape.
  long long id = first.id;
  std::string name = "He said \"hi\" \\ 비타민\t\u00e9", thumb = "/img/a b.png";
  *lease << "INSERT INTO order_lines(order_id, item_id, product_name, thumbnail_url, quantity, period, "
            "unit_origin_price, unit_real_price) VALUES(:o, 4, :n, :t, 3, NULL, 1000, 900)",
      soci::use(id), soci::use(name), soci::use(thumb);
  *lease << "INSERT INTO order_status_history(order_id, status, at) VALUES(:o, 'SHIPPED', '2026-11-25T09:00:00Z')",
      soci::use(id);
  for (std::int64_t order_id : {first.id, second.id}) {
    auto found = orders_->Find(order_id);
    ASSERT_TRUE(found);
    EXPECT_EQ(ReadRows(*found), TableRows(*lease, order_id)) << "order " << order_id;
  }
  auto page = orders_->List(7, std::nullopt, {1, 10});
  ASSERT_EQ(page.orders.size(), 2u);
  for (const auto& order : page.orders) EXPECT_EQ(ReadRows(order), TableRows(*lease, order.id));
  EXPECT_EQ(orders_->Find(first.id)->lines.back().product_name, name);
}

// v030 fills the columns from the rows there are: undone (triggers and
// columns dropped) and applied again over orders placed before, it reads the same.
TEST_P(OrderRepositoryTest, ReadModel_MigrationFillsTheOrdersThereAre) {
  auto first = checkout_->Place(Request(7, {{1, 2, {}}, {3, 1, 30}}));
  auto second = checkout_->Place(Request(8, {{1, 1, {}}}));
  orders_->CancelPending(second.id, "2026-11-24T10:02:00.000+09:00");
  {
    auto lease = db_->Acquire();
    *lease << "DROP TRIGGER order_lines_into_order";
    *lease << "DROP TRIGGER order_history_into_order";
    *lease << "ALTER TABLE orders DROP COLUMN lines_json";
    *lease << "ALTER TABLE orders DROP COLUMN history_json";
    *lease << "DELETE FROM schema_migrations WHERE version = 30";
  }
  EXPECT_EQ(Migrate(*db_, testing::RealClock()), 1);
  auto lease = db_->Acquire();
  for (std::int64_t order_id : {first.id, second.id}) {
    auto found = orders_->Find(order_id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->lines.size(), order_id == first.id ? 2u : 1u);
    EXPECT_EQ(ReadRows(*found), TableRows(*lease, order_id)) << "order " << order_id;
  }
}

TEST_P(OrderRepositoryTest, Carts_AddCapsAtNinetyNineAndPricesLive) {
  CartRepository carts(*db_, testing::RealClock());
  carts.AddLine(7, domain::CartKind::kNormal, 1, 60, std::nullopt);
  carts.AddLine(7, domain::CartKind::kNormal, 1, 60, std::nullopt);
  carts.AddLine(7, domain::CartKind::kSubscription, 3, 2, 30);
  auto normal = carts.Lines(7, domain::CartKind::kNormal);
  ASSERT_EQ(normal.size(), 1u);
  EXPECT_EQ(normal[0].quantity, 99);
  EXPECT_FALSE(normal[0].in_stock);  // 99 > 10 in stock
  auto sub = carts.Lines(7, domain::CartKind::kSubscription);
  ASSERT_EQ(sub.size(), 1u);
  EXPECT_EQ(sub[0].period, 30);
  EXPECT_TRUE(carts.UpdateLine(7, domain::CartKind::kSubscription, 3, 2, 60));
  EXPECT_EQ(carts.Lines(7, domain::CartKind::kSubscription)[0].period, 60);
  EXPECT_FALSE(carts.UpdateLine(7, domain::CartKind::kSubscription, 4, 1, std::nullopt));
  auto item = *items_->FindById(3);
  item.price = {20'000, 0};
  items_->Update(item);
  EXPECT_EQ(carts.Lines(7, domain::CartKind::kSubscription)[0].unit_real_price, 20'000);
  EXPECT_TRUE(carts.RemoveLine(7, domain::CartKind::kNormal, 1));
  EXPECT_FALSE(carts.RemoveLine(7, domain::CartKind::kNormal, 1));
  EXPECT_TRUE(carts.Lines(8, domain::CartKind::kNormal).empty());  // another user's cart is separate
}

TEST_P(OrderRepositoryTest, Carts_AddOfAnItemAlreadyThere_AddsTheQuantityAndReplacesThePeriod) {
  CartRepository carts(*db_, testing::RealClock());
  carts.AddLine(7, domain::CartKind::kSubscription, 3, 2, 30);
  carts.AddLine(7, domain::CartKind::kSubscription, 3, 5, 60);
  carts.AddLine(7, domain::CartKind::kSubscription, 1, 1, 30);
  auto lines = carts.Lines(7, domain::CartKind::kSubscription);
  ASSERT_EQ(lines.size(), 2u);
  auto three = std::find_if(lines.begin(), lines.end(), [](const auto& l) { return l.item_id == 3; });
  ASSERT_NE(three, lines.end());
  EXPECT_EQ(three->quantity, 7);
  EXPECT_EQ(three->period, 60);
}

TEST_P(OrderRepositoryTest, Carts_AddsAtTheSameTime_AllCount) {
  CartRepository carts(*db_, testing::RealClock());
  constexpr int kThreads = 4, kEach = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) carts.AddLine(9, domain::CartKind::kNormal, 2, 1, std::nullopt);
    });
  for (auto& t : threads) t.join();
  auto lines = carts.Lines(9, domain::CartKind::kNormal);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].quantity, kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Engines, OrderRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
