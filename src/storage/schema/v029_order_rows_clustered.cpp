#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #18: on MariaDB, an order's lines and its status history are stored
// together, in order, under a primary key that starts with the order's id. A page
// of orders then reads each order's rows as one short range of the table itself,
// instead of finding them through a secondary index and fetching every row from
// the table by id. `id` keeps a unique key of its own (it stays AUTO_INCREMENT).
// The order_id indexes this replaces go. SQLite's tables keep their rowid keys:
// there a lookup through the secondary index is already cheap.
Migration SchemaV029OrderRowsClustered() {
  return {29, "order_rows_clustered", R"SQL(
{{MARIADB}} ALTER TABLE order_lines DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, id), ADD UNIQUE KEY ux_order_lines_id (id), DROP INDEX ix_order_lines_order;
{{MARIADB}} ALTER TABLE order_status_history DROP PRIMARY KEY, ADD PRIMARY KEY (order_id, id), ADD UNIQUE KEY ux_order_history_id (id), DROP INDEX ix_order_history_order
)SQL"};
}

}  // namespace pillivery::storage
