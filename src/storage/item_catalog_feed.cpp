// The catalog's change feed: the version each catalog write takes, the rows
// written after a version, and the counters that change without one.
#include "storage/item_repository.hpp"
#include "storage/item_rows.hpp"
#include "storage/row_reader.hpp"

#include <functional>

namespace pillivery::storage {

std::int64_t NextCatalogVersion(soci::session& session) {
  session << "UPDATE catalog_clock SET version = version + 1 WHERE id = 1";
  long long version = 0;
  session << "SELECT version FROM catalog_clock WHERE id = 1", soci::into(version);
  return version;
}

std::vector<CatalogRow> ItemRepository::CatalogRows(std::int64_t after_version) {
  std::vector<CatalogRow> rows;
  ForEachCatalogRow(after_version, [&](const CatalogRow& row) { rows.push_back(row); });
  return rows;
}

void ItemRepository::ForEachCatalogRow(std::int64_t after_version,
                                       const std::function<void(const CatalogRow&)>& on_row) {
  auto lease = db_.Acquire();
  CatalogRow row;
  db_.Query(*lease,
            std::string("SELECT ") + kSummaryColumns +
                ", items.star_avg, items.catalog_version FROM items WHERE items.catalog_version > :v "
                "ORDER BY items.catalog_version, items.id",
            {static_cast<long long>(after_version)}, [&](const soci::row& r) {
              row.item = ReadItem(r, false);
              row.star_avg = GetDouble(r, 14);
              row.version = GetInt64(r, 15);
              on_row(row);
            });
}

std::vector<CatalogStats> ItemRepository::CatalogStatistics() {
  auto lease = db_.Acquire();
  std::vector<CatalogStats> stats;
  db_.Query(*lease, "SELECT id, stock, sales, review_count, star_sum, star_avg FROM items ORDER BY id", {},
            [&](const soci::row& r) {
              stats.push_back(
                  {GetInt64(r, 0), GetInt64(r, 1), GetInt64(r, 2), GetInt64(r, 3), GetInt64(r, 4), GetDouble(r, 5)});
            });
  return stats;
}

}  // namespace pillivery::storage
