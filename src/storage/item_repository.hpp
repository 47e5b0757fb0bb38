#pragma once
// Items and their categories on either engine.
#include "domain/admin_item_query.hpp"
#include "domain/item.hpp"
#include "domain/item_facets.hpp"
#include "domain/item_query.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace pillivery::storage {

struct ItemPage {
  std::vector<domain::Item> items;
  std::int64_t total = 0;
};

struct UpsertCounts {
  int inserted = 0;
  int updated = 0;
};

// What the in-memory catalog index keeps of an item: the summary fields, the
// status and the stored sort keys, with the catalog version of its last write.
struct CatalogRow {
  domain::Item item;    // summary fields only (no detail text, no views)
  double star_avg = 0;  // as stored: what the STAR sort compares
  std::int64_t version = 0;
};

// The counters that change without a catalog version (orders, reviews, sales).
struct CatalogStats {
  std::int64_t id = 0;
  std::int64_t stock = 0;
  std::int64_t sales = 0;
  std::int64_t review_count = 0;
  std::int64_t star_sum = 0;
  double star_avg = 0;
};

class ItemRepository {
 public:
  // `clock` stamps created_at/updated_at (real time, not the business clock).
  ItemRepository(Database& db, const infra::Clock& clock) : db_(db), clock_(clock) {}

  std::optional<domain::Item> FindById(std::int64_t id, bool include_hidden = false);
  // known_total: the number of matches when the caller already knows it (the
  // count query is the expensive half of a keyword search).
  // within: only these item ids are considered (a keyword index's candidates).
  ItemPage Search(const domain::ItemQuery& query, std::optional<std::int64_t> known_total = std::nullopt,
                  const std::vector<std::int64_t>* within = nullptr);
  // The admin list: every item (HIDDEN too) matching the filters, newest first, with details.
  ItemPage AdminList(const domain::AdminItemQuery& query);
  // (id, "name\nbrand") of every item, hidden ones too: what a keyword matches.
  std::vector<std::pair<std::int64_t, std::string>> KeywordTexts();
  // Counts per category, brand and price band for a search, each under every
  // filter but its own (domain/item_facets.hpp). The reference the in-memory
  // index is tested against, and its fallback.
  domain::ItemFacets Facets(const domain::ItemQuery& query);
  // Every item (hidden ones too) written at a catalog version above
  // after_version, ascending by version: the change feed (-1: everything; rows
  // written before v009 have version 0).
  std::vector<CatalogRow> CatalogRows(std::int64_t after_version);
  // The same, one row at a time (a full read of 40k items is never held whole).
  void ForEachCatalogRow(std::int64_t after_version, const std::function<void(const CatalogRow&)>& on_row);
  // Stock and statistics of every item.
  std::vector<CatalogStats> CatalogStatistics();
  // Visible (ON_SALE) item count per category, every category listed.
  std::vector<std::pair<domain::Category, std::int64_t>> CountByCategory();

  // Inserts a new item (categories derived from main_function); returns its id.
  // 409 REPORT_NO_TAKEN when another item has its report number (as Update).
  std::int64_t Insert(const domain::Item& item);
  // Many new items in one transaction per batch (the seeder's fast path).
  void InsertMany(const std::vector<domain::Item>& items);
  // Public-data import: matched by report_no; new ones are inserted (price 0,
  // stock 0, HIDDEN until an admin prices them), existing ones get their
  // public-data text updated and keep price, stock, images and statistics.
  UpsertCounts UpsertPublicData(const std::vector<domain::Item>& items);
  // Admin update of every editable field; false when the id does not exist.
  bool Update(const domain::Item& item);
  // Additive view counts (item id, views to add), one transaction: several
  // servers may add at once, so it is never an overwrite.
  void AddViews(const std::vector<std::pair<std::int64_t, std::int64_t>>& deltas);
  // Adds sold quantities (by item id) to the items' sales in the caller's unit
  // of work (the outbox's sales count): one statement, whose rows are locked in
  // id order, so concurrent handlers cannot deadlock.
  static void AddSales(UnitOfWork& work, const std::map<std::int64_t, std::int64_t>& sold_by_item);

 private:
  std::int64_t InsertRow(const domain::Item& item);
  bool UpdateRow(const domain::Item& item);
  std::string Now() const { return infra::FormatIsoTime(clock_.Now()); }
  Database& db_;
  const infra::Clock& clock_;
};

// Takes the next catalog version inside the caller's transaction (and with it
// the lock that orders catalog writes until that transaction ends).
std::int64_t NextCatalogVersion(soci::session& session);

}  // namespace pillivery::storage
