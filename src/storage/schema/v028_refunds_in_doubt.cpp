#include "storage/migrations.hpp"

namespace pillivery::storage {

// A refund sent to the gateway whose answer was lost, and whose lookup did not
// answer either: the amount is held here until the outbox learns from the
// gateway whether it was made (and records it) or not (and forgets it). While it
// is set, the order takes no other refund and no cancel, so "the gateway's
// cancelled total covers it" stays a true test of this one refund.
Migration SchemaV028RefundsInDoubt() {
  return {28, "refunds_in_doubt", R"SQL(
ALTER TABLE payments ADD COLUMN refund_in_doubt BIGINT NULL
)SQL"};
}

}  // namespace pillivery::storage
