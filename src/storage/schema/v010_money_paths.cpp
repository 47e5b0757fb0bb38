#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #12's money paths.
// - payments: a renewal settled by the gateway's duplicate answer (-785) has no
//   tid, so tid becomes nullable (the table is rebuilt: SQLite cannot drop a NOT
//   NULL); settled_by says how such a payment was settled; redirect_key_hash is
//   the SHA-256 of the unguessable value the attempt's redirect URLs carry.
// - payment_refunds: every refund with where it went (through the gateway or
//   recorded outside it by an admin, with a reason).
// - payment_methods: one row per SID. Ending a subscription locks its SID's row
//   before counting the SID's live subscriptions, so of two siblings ending at
//   once exactly one sees that it was the last and inactivates the SID.
Migration SchemaV010MoneyPaths() {
  return {10, "money_paths", R"SQL(
CREATE TABLE payments_v9 (
  id {{PK}},
  order_id BIGINT NOT NULL,
  provider VARCHAR(20) NOT NULL,
  cid VARCHAR(20) NOT NULL,
  tid VARCHAR(40) NULL,
  partner_order_id VARCHAR(100) NOT NULL,
  partner_user_id VARCHAR(100) NOT NULL,
  amount BIGINT NOT NULL,
  status VARCHAR(20) NOT NULL,
  sid VARCHAR(40) NULL,
  aid VARCHAR(40) NULL,
  refunded_amount BIGINT NOT NULL DEFAULT 0,
  failure_code VARCHAR(100) NULL,
  created_at VARCHAR(40) NOT NULL,
  approved_at VARCHAR(40) NULL,
  settled_by VARCHAR(30) NULL,
  redirect_key_hash VARCHAR(64) NULL
){{TABLE}};
INSERT INTO payments_v9(id, order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, sid, aid,
  refunded_amount, failure_code, created_at, approved_at)
  SELECT id, order_id, provider, cid, tid, partner_order_id, partner_user_id, amount, status, sid, aid,
  refunded_amount, failure_code, created_at, approved_at FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v9 RENAME TO payments;
CREATE INDEX ix_payments_order ON payments(order_id, id);
CREATE UNIQUE INDEX ux_payments_tid ON payments(tid);
CREATE TABLE payment_refunds (
  id {{PK}},
  order_id BIGINT NOT NULL,
  payment_id BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  channel VARCHAR(20) NOT NULL,
  reason {{STR}} NULL,
  created_at VARCHAR(40) NOT NULL
){{TABLE}};
CREATE INDEX ix_payment_refunds_order ON payment_refunds(order_id, id);
CREATE TABLE payment_methods (
  sid VARCHAR(40) NOT NULL PRIMARY KEY,
  cid VARCHAR(20) NOT NULL,
  user_id BIGINT NOT NULL,
  status VARCHAR(20) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  inactivated_at VARCHAR(40) NULL
){{TABLE}};
INSERT INTO payment_methods(sid, cid, user_id, status, created_at)
  SELECT sid, MAX(cid), MAX(user_id), CASE WHEN SUM(CASE WHEN status IN ('ACTIVE', 'PAUSED', 'PAST_DUE') THEN 1
  ELSE 0 END) > 0 THEN 'ACTIVE' ELSE 'INACTIVE' END, MIN(created_at) FROM subscriptions GROUP BY sid;
CREATE INDEX ix_subscriptions_sid ON subscriptions(sid, status);
CREATE INDEX ix_subscriptions_source_order ON subscriptions(source_order_id)
)SQL"};
}

}  // namespace pillivery::storage
