#include "storage/migrations.hpp"

namespace pillivery::storage {

// The transactional outbox. Times are BIGINT epoch milliseconds so that "due"
// and "lease expired" are plain integer comparisons on both engines.
// ix_outbox_claim serves the claim of due PENDING rows in (next_attempt_at, id)
// order without a sort, so a locking read stops after the batch it takes;
// ix_outbox_lease finds PROCESSING rows whose lease ran out (a crashed processor).
// processed_events remembers which handler already applied which event, so a
// redelivered event changes the database at most once per handler.
Migration SchemaV004Outbox() {
  return {4, "outbox", R"SQL(
CREATE TABLE outbox_events (
  id {{PK}},
  event_type VARCHAR(100) NOT NULL,
  aggregate_id VARCHAR(100) NOT NULL,
  payload {{TEXT}} NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'PENDING',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  locked_by VARCHAR(100) NULL,
  locked_until BIGINT NULL,
  last_error {{TEXT}} NULL,
  created_at BIGINT NOT NULL,
  processed_at BIGINT NULL,
  CHECK (status IN ('PENDING', 'PROCESSING', 'DONE', 'DEAD'))
){{TABLE}};
CREATE INDEX ix_outbox_claim ON outbox_events(status, next_attempt_at, id);
CREATE INDEX ix_outbox_lease ON outbox_events(status, locked_until, id);
CREATE INDEX ix_outbox_aggregate ON outbox_events(aggregate_id, id);
CREATE TABLE processed_events (
  handler VARCHAR(100) NOT NULL,
  event_id BIGINT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (handler, event_id)
){{TABLE}};
CREATE INDEX ix_processed_events_event ON processed_events(event_id)
)SQL"};
}

}  // namespace pillivery::storage
