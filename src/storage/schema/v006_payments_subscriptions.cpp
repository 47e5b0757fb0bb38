#include "storage/migrations.hpp"

namespace pillivery::storage {

// Payments of orders, subscriptions, their charges (one row per attempt of a
// cycle, unique, so two workers cannot both charge one attempt) and billing runs.
Migration SchemaV006PaymentsSubscriptions() {
  return {6, "payments_subscriptions", R"SQL(
CREATE TABLE payments (
  id {{PK}},
  order_id BIGINT NOT NULL,
  provider VARCHAR(20) NOT NULL,
  cid VARCHAR(20) NOT NULL,
  tid VARCHAR(40) NOT NULL,
  partner_order_id VARCHAR(100) NOT NULL,
  partner_user_id VARCHAR(100) NOT NULL,
  amount BIGINT NOT NULL,
  status VARCHAR(20) NOT NULL,
  sid VARCHAR(40) NULL,
  aid VARCHAR(40) NULL,
  refunded_amount BIGINT NOT NULL DEFAULT 0,
  failure_code VARCHAR(100) NULL,
  created_at VARCHAR(40) NOT NULL,
  approved_at VARCHAR(40) NULL
){{TABLE}};
CREATE INDEX ix_payments_order ON payments(order_id, id);
CREATE UNIQUE INDEX ux_payments_tid ON payments(tid);
CREATE TABLE subscriptions (
  id {{PK}},
  user_id BIGINT NOT NULL,
  item_id BIGINT NOT NULL,
  product_name {{STR}} NOT NULL,
  quantity INTEGER NOT NULL,
  period INTEGER NOT NULL,
  status VARCHAR(20) NOT NULL,
  sid VARCHAR(40) NOT NULL,
  cid VARCHAR(20) NOT NULL,
  partner_user_id VARCHAR(100) NOT NULL,
  source_order_id BIGINT NOT NULL,
  source_order_line_id BIGINT NOT NULL,
  last_paid_date VARCHAR(10) NOT NULL,
  next_payment_date VARCHAR(10) NOT NULL,
  cycle_attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_date VARCHAR(10) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL
){{TABLE}};
CREATE UNIQUE INDEX ux_subscriptions_order_line ON subscriptions(source_order_line_id);
CREATE INDEX ix_subscriptions_user ON subscriptions(user_id, id);
CREATE INDEX ix_subscriptions_due ON subscriptions(status, next_attempt_date, id);
CREATE INDEX ix_subscriptions_next ON subscriptions(status, next_payment_date, id);
CREATE TABLE subscription_charges (
  id {{PK}},
  subscription_id BIGINT NOT NULL,
  due_date VARCHAR(10) NOT NULL,
  attempt INTEGER NOT NULL,
  partner_order_id VARCHAR(100) NOT NULL,
  amount BIGINT NOT NULL,
  result VARCHAR(20) NOT NULL,
  decline_code VARCHAR(100) NULL,
  tid VARCHAR(40) NULL,
  renewal_order_id BIGINT NULL,
  claimed_at_ms BIGINT NOT NULL,
  at VARCHAR(40) NOT NULL
){{TABLE}};
CREATE UNIQUE INDEX ux_charges_attempt ON subscription_charges(subscription_id, due_date, attempt);
CREATE INDEX ix_charges_subscription ON subscription_charges(subscription_id, id);
CREATE TABLE batch_runs (
  id {{PK}},
  run_date VARCHAR(10) NOT NULL,
  started_at VARCHAR(40) NOT NULL,
  finished_at VARCHAR(40) NULL,
  status VARCHAR(20) NOT NULL,
  due_count INTEGER NOT NULL DEFAULT 0,
  paid_count INTEGER NOT NULL DEFAULT 0,
  soft_declined_count INTEGER NOT NULL DEFAULT 0,
  hard_declined_count INTEGER NOT NULL DEFAULT 0,
  unknown_count INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0
){{TABLE}};
CREATE INDEX ix_batch_runs_date ON batch_runs(run_date, id)
)SQL"};
}

}  // namespace pillivery::storage
