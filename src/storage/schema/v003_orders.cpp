#include "storage/migrations.hpp"

namespace pillivery::storage {

// Carts, orders and idempotency keys. Stock is reserved on items.stock itself
// by a conditional update in the order's transaction.
Migration SchemaV003Orders() {
  return {3, "carts_orders", R"SQL(
CREATE TABLE carts (
  id {{PK}},
  user_id BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  created_at VARCHAR(40) NOT NULL
){{TABLE}};
CREATE UNIQUE INDEX ux_carts_user_kind ON carts(user_id, kind);
CREATE TABLE cart_lines (
  cart_id BIGINT NOT NULL,
  item_id BIGINT NOT NULL,
  quantity INTEGER NOT NULL,
  period INTEGER NULL,
  added_at VARCHAR(40) NOT NULL,
  PRIMARY KEY (cart_id, item_id),
  CHECK (quantity BETWEEN 1 AND 99)
){{TABLE}};
CREATE TABLE orders (
  id {{PK}},
  user_id BIGINT NOT NULL,
  order_type VARCHAR(16) NOT NULL,
  status VARCHAR(20) NOT NULL,
  receiver_name {{STR}} NOT NULL,
  receiver_phone VARCHAR(20) NOT NULL,
  receiver_city {{STR}} NOT NULL,
  receiver_detail {{STR}} NOT NULL,
  item_count INTEGER NOT NULL,
  total_origin_price BIGINT NOT NULL,
  total_discount_price BIGINT NOT NULL,
  total_price BIGINT NOT NULL,
  idempotency_key VARCHAR(255) NULL,
  source_subscription_id BIGINT NULL,
  created_at VARCHAR(40) NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NULL,
  paid_at VARCHAR(40) NULL,
  payment_provider VARCHAR(20) NULL,
  payment_tid VARCHAR(40) NULL,
  payment_approved_at VARCHAR(40) NULL,
  refunded_amount BIGINT NOT NULL DEFAULT 0
){{TABLE}};
CREATE INDEX ix_orders_user ON orders(user_id, id);
CREATE INDEX ix_orders_user_status ON orders(user_id, status, id);
CREATE INDEX ix_orders_status ON orders(status, id);
CREATE INDEX ix_orders_expiry ON orders(status, expires_at_ms);
CREATE UNIQUE INDEX ux_orders_idempotency ON orders(user_id, idempotency_key);
CREATE TABLE order_lines (
  id {{PK}},
  order_id BIGINT NOT NULL,
  item_id BIGINT NOT NULL,
  product_name {{STR}} NOT NULL,
  thumbnail_url VARCHAR(1000) NOT NULL DEFAULT '',
  quantity INTEGER NOT NULL,
  period INTEGER NULL,
  unit_origin_price BIGINT NOT NULL,
  unit_real_price BIGINT NOT NULL
){{TABLE}};
CREATE INDEX ix_order_lines_order ON order_lines(order_id);
CREATE INDEX ix_order_lines_item ON order_lines(item_id);
CREATE TABLE order_status_history (
  id {{PK}},
  order_id BIGINT NOT NULL,
  status VARCHAR(20) NOT NULL,
  at VARCHAR(40) NOT NULL
){{TABLE}};
CREATE INDEX ix_order_history_order ON order_status_history(order_id, id);
CREATE TABLE idempotency_keys (
  user_id BIGINT NOT NULL,
  scope VARCHAR(40) NOT NULL,
  idem_key VARCHAR(255) NOT NULL,
  request_hash VARCHAR(64) NOT NULL,
  state VARCHAR(16) NOT NULL,
  response_status INTEGER NOT NULL DEFAULT 0,
  response_body {{TEXT}} NULL,
  created_at_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, scope, idem_key)
){{TABLE}};
CREATE INDEX ix_idempotency_created ON idempotency_keys(created_at_ms)
)SQL"};
}

}  // namespace pillivery::storage
