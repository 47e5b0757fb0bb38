#include "storage/migrations.hpp"

namespace pillivery::storage {

// Reviews, one per order line (unique), soft-deleted. The item's review_count,
// star_sum and star_avg change in the same transaction as the review.
Migration SchemaV005Reviews() {
  return {5, "reviews", R"SQL(
CREATE TABLE reviews (
  id {{PK}},
  item_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  order_line_id BIGINT NOT NULL,
  author {{STR}} NOT NULL,
  star INTEGER NOT NULL,
  content {{TEXT}} NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL,
  CHECK (star BETWEEN 1 AND 5)
){{TABLE}};
CREATE UNIQUE INDEX ux_reviews_order_line ON reviews(order_line_id);
CREATE INDEX ix_reviews_item ON reviews(item_id, deleted, id);
CREATE INDEX ix_reviews_item_star ON reviews(item_id, deleted, star, id)
)SQL"};
}

}  // namespace pillivery::storage
