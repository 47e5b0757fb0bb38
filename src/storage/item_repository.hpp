#pragma once
// Items and their categories on either engine.
#include "domain/admin_item_query.hpp"
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "storage/database.hpp"

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

class ItemRepository {
 public:
  explicit ItemRepository(Database& db) : db_(db) {}

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
  // Visible (ON_SALE) item count per category, every category listed.
  std::vector<std::pair<domain::Category, std::int64_t>> CountByCategory();

  // Inserts a new item (categories derived from main_function); returns its id.
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

 private:
  Database& db_;
};

}  // namespace pillivery::storage
