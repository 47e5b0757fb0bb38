#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #18: each account's number of orders, kept by the statements that
// insert orders (storage/order_counts.hpp), so a page of the account's orders
// reads its total from one row instead of counting. Filled from the orders there are.
Migration SchemaV027UserOrderCounts() {
  return {27, "user_order_counts", R"SQL(
CREATE TABLE user_order_counts (
  user_id BIGINT NOT NULL PRIMARY KEY,
  orders BIGINT NOT NULL
){{TABLE}};
INSERT INTO user_order_counts(user_id, orders) SELECT user_id, COUNT(*) FROM orders GROUP BY user_id
)SQL"};
}

}  // namespace pillivery::storage
