// Found by the 90-day reconciliation on MariaDB (seed 20261202): a checkout chosen
// as the victim of a deadlock with another transaction that locks items in
// another order (the outbox's batch of sales-count handlers) answered 500. A
// deadlock rolls the whole transaction back, so the checkout tries it again.
#include "storage/order_repository.hpp"

#include "service/ordering/checkout.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/row_reader.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

class CheckoutDeadlockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::Engines().size() < 2) GTEST_SKIP() << "MariaDB only: SQLite has one writer and no deadlocks";
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl("mariadb", dir_), 4);
    Migrate(*db_, testing::RealClock());
    ItemRepository(*db_, testing::RealClock()).InsertMany(testing::SampleCatalog());
  }
  std::int64_t Count(soci::session& s, const std::string& sql) {
    long long n = 0;
    s << sql, soci::into(n);
    return n;
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(CheckoutDeadlockTest, ACheckoutChosenAsADeadlockVictim_IsTriedAgainAndSucceeds) {
  auto other = db_->Acquire();
  auto watcher = db_->Acquire();
  // Another transaction, heavier than a checkout (so InnoDB picks the checkout as
  // the victim), holds items 2..7 and will want item 1 last.
  *other << "START TRANSACTION";
  *other << "UPDATE items SET sales = sales + 1 WHERE id >= 2";

  OrderRepository orders(*db_);
  service::Checkout checkouts(*db_, orders);
  domain::CheckoutRequest order;
  order.user_id = 7;
  order.lines = {{1, 1, {}}, {4, 1, {}}};  // locks item 1, then waits for item 4
  order.receiver = {"홍길동", "010-1234-5678", "서울", "강남구 1"};
  order.now_ms = 1'000;
  order.expires_at_ms = 1'000 + 30 * 60 * 1000;
  order.now_iso = "2026-11-24T10:00:00.000+09:00";
  auto checkout = std::async(std::launch::async, [&] { return checkouts.Place(order); });

  // Once the checkout waits on item 4 (bounded), the other transaction asks for item 1: a deadlock.
  bool waiting = false;
  for (int i = 0; i < 500 && !waiting; ++i) {
    // The checkout's stock update has been running for 200 ms: it waits for item 4's lock.
    waiting = Count(*watcher,
                    "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE "
                    "'UPDATE items SET stock%' AND time_ms > 200") > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(waiting);
  *other << "UPDATE items SET sales = sales + 1 WHERE id = 1";
  *other << "COMMIT";

  auto created = checkout.get();  // threw the deadlock before the fix
  EXPECT_EQ(created.lines.size(), 2u);
  EXPECT_EQ(Count(*watcher, "SELECT stock FROM items WHERE id = 1"), 9);
  EXPECT_EQ(Count(*watcher, "SELECT stock FROM items WHERE id = 4"), 99);
  EXPECT_EQ(Count(*watcher, "SELECT COUNT(*) FROM orders"), 1);
}

}  // namespace
}  // namespace pillivery::storage
