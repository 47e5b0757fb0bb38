#include "storage/migrations.hpp"

namespace pillivery::storage {

// The change feed of the in-memory catalog index (service/catalog/catalog_index.hpp).
// Every write of what a search filters or shows by (text, prices, status,
// categories; not stock or statistics) takes the next number of the one-row
// catalog_clock inside its own transaction and stamps the item with it. The
// row lock held until commit makes numbers commit in order, so a server that
// has read every item up to number N can ask for "catalog_version > N" and
// never miss a write that commits later with a smaller number.
Migration SchemaV009CatalogVersion() {
  return {9, "catalog_version", R"SQL(
ALTER TABLE items ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX ix_items_catalog_version ON items(catalog_version);
CREATE TABLE catalog_clock (
  id INTEGER NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
){{TABLE}};
INSERT INTO catalog_clock(id, version) VALUES(1, 0)
)SQL"};
}

}  // namespace pillivery::storage
