#include "storage/migrations.hpp"

namespace pillivery::storage {

// The catalog. Prices are integer won; the discount rate is kept in tenths of a
// percent so it stays exact. Every filter and sort of GET /api/items has an index
// (docs/storage.md says which serves which query).
Migration SchemaV001Catalog() {
  return {1, "catalog", R"SQL(
CREATE TABLE items (
  id {{PK}},
  product_name {{STR}} NOT NULL,
  enterprise {{STR}} NOT NULL,
  report_no VARCHAR(40) NULL,
  registered_date VARCHAR(10) NOT NULL DEFAULT '',
  distribution_period {{TEXT}} NOT NULL,
  shape {{TEXT}} NOT NULL,
  intake {{TEXT}} NOT NULL,
  main_function {{TEXT}} NOT NULL,
  caution {{TEXT}} NOT NULL,
  storage_method {{TEXT}} NOT NULL,
  standard {{TEXT}} NOT NULL,
  raw_materials {{TEXT}} NOT NULL,
  category_codes VARCHAR(200) NOT NULL DEFAULT 'ETC',
  origin_price BIGINT NOT NULL DEFAULT 0,
  discount_rate INTEGER NOT NULL DEFAULT 0,
  discount_price BIGINT NOT NULL DEFAULT 0,
  real_price BIGINT NOT NULL DEFAULT 0,
  stock BIGINT NOT NULL DEFAULT 0,
  thumbnail_url VARCHAR(1000) NOT NULL DEFAULT '',
  description_image_url VARCHAR(1000) NOT NULL DEFAULT '',
  sales BIGINT NOT NULL DEFAULT 0,
  views BIGINT NOT NULL DEFAULT 0,
  review_count BIGINT NOT NULL DEFAULT 0,
  star_sum BIGINT NOT NULL DEFAULT 0,
  star_avg DOUBLE NOT NULL DEFAULT 0,
  status VARCHAR(16) NOT NULL DEFAULT 'ON_SALE',
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL,
  CHECK (stock >= 0),
  CHECK (origin_price >= 0),
  CHECK (discount_rate BETWEEN 0 AND 1000)
){{TABLE}};
CREATE UNIQUE INDEX ux_items_report_no ON items(report_no);
CREATE INDEX ix_items_sales ON items(status, sales, id);
CREATE INDEX ix_items_newest ON items(status, id);
CREATE INDEX ix_items_price ON items(status, real_price, id);
CREATE INDEX ix_items_discount ON items(status, discount_rate, id);
CREATE INDEX ix_items_reviews ON items(status, review_count, id);
CREATE INDEX ix_items_star ON items(status, star_avg, id);
CREATE INDEX ix_items_enterprise ON items(enterprise, id);
CREATE INDEX ix_items_names ON items(status, product_name, enterprise, sales, id);
CREATE TABLE item_categories (
  category VARCHAR(16) NOT NULL,
  item_id BIGINT NOT NULL,
  PRIMARY KEY (category, item_id)
){{TABLE}};
CREATE INDEX ix_item_categories_item ON item_categories(item_id)
)SQL"};
}

}  // namespace pillivery::storage
