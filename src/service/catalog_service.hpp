#pragma once
// Catalog reads for customers: search, detail, the main page and categories.
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "storage/item_repository.hpp"

namespace pillivery::service {

struct MainPage {
  std::vector<domain::Item> best_sellers;   // ≤ 9, by sales
  std::vector<domain::Item> top_discounts;  // ≤ 9, by discount rate
};

class CatalogService {
 public:
  explicit CatalogService(storage::ItemRepository& items) : items_(items) {}

  storage::ItemPage Search(const domain::ItemQuery& query) { return items_.Search(query); }
  // Throws ITEM_NOT_FOUND (404) for a missing or hidden item.
  domain::Item Detail(std::int64_t id);
  MainPage Main();
  std::vector<std::pair<domain::Category, std::int64_t>> Categories() { return items_.CountByCategory(); }

  static constexpr int kMainPageSize = 9;

 private:
  storage::ItemRepository& items_;
};

}  // namespace pillivery::service
