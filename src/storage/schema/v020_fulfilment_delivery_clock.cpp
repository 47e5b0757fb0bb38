#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #12, items 8-12. Numbered 20 (not 9) because several branches of one
// session add versions at once; Migrate applies by set, not by maximum.
// - Orders carry their shipment (carrier, tracking number, when shipped and delivered).
// - A subscription carries the address its renewals ship to (first the order's
//   receiver, which existing rows copy here) and why it was cancelled.
// - business_clock: the test clock's offset, one row shared by every process
//   of one database (only read when PILLIVERY_TEST_CLOCK=true).
// The admin catalog list needs no index of its own: it is rare, and an index
// holding stock would be rewritten by every checkout.
Migration SchemaV020FulfilmentDeliveryClock() {
  return {20, "fulfilment_delivery_clock", R"SQL(
ALTER TABLE orders ADD COLUMN shipment_carrier VARCHAR(40) NULL;
ALTER TABLE orders ADD COLUMN shipment_tracking VARCHAR(64) NULL;
ALTER TABLE orders ADD COLUMN shipped_at VARCHAR(40) NULL;
ALTER TABLE orders ADD COLUMN delivered_at VARCHAR(40) NULL;
ALTER TABLE subscriptions ADD COLUMN receiver_name {{STR}} NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN receiver_phone VARCHAR(20) NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN receiver_city {{STR}} NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN receiver_detail {{STR}} NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN cancel_reason VARCHAR(2000) NULL;
UPDATE subscriptions SET
  receiver_name = COALESCE((SELECT o.receiver_name FROM orders o WHERE o.id = subscriptions.source_order_id), ''),
  receiver_phone = COALESCE((SELECT o.receiver_phone FROM orders o WHERE o.id = subscriptions.source_order_id), ''),
  receiver_city = COALESCE((SELECT o.receiver_city FROM orders o WHERE o.id = subscriptions.source_order_id), ''),
  receiver_detail = COALESCE((SELECT o.receiver_detail FROM orders o WHERE o.id = subscriptions.source_order_id), '');
CREATE TABLE business_clock (
  id INTEGER NOT NULL PRIMARY KEY,
  offset_ms BIGINT NOT NULL,
  updated_at VARCHAR(40) NOT NULL
){{TABLE}};
INSERT INTO business_clock(id, offset_ms, updated_at) VALUES (1, 0, '')
)SQL"};
}

}  // namespace pillivery::storage
