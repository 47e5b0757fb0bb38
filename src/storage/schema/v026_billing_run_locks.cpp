#include "storage/migrations.hpp"

namespace pillivery::storage {

// Issue #19 item 9: the daily billing run's lock gets its own table
// (BillingRunLockRepository) instead of a 'billing-run' row among the HTTP
// Idempotency-Key records. The claims already taken move over, so a date that
// ran (or runs) before the upgrade does not run again after it.
// Numbered 26: other branches of the session add versions too (see v020).
Migration SchemaV026BillingRunLocks() {
  return {26, "billing_run_locks", R"SQL(
CREATE TABLE billing_run_locks (
  run_date VARCHAR(10) NOT NULL PRIMARY KEY,
  state VARCHAR(16) NOT NULL,
  holder VARCHAR(64) NOT NULL,
  locked_at_ms BIGINT NOT NULL
){{TABLE}};
INSERT INTO billing_run_locks(run_date, state, holder, locked_at_ms)
  SELECT idem_key, CASE WHEN state = 'DONE' THEN 'DONE' ELSE 'RUNNING' END, request_hash, created_at_ms
  FROM idempotency_keys WHERE user_id = 0 AND scope = 'billing-run';
DELETE FROM idempotency_keys WHERE user_id = 0 AND scope = 'billing-run'
)SQL"};
}

}  // namespace pillivery::storage
