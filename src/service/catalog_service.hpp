#pragma once
// Catalog reads for customers: search, detail, the main page and categories.
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "infra/ttl_cache.hpp"
#include "storage/item_repository.hpp"

namespace pillivery::service {

struct MainPage {
  std::vector<domain::Item> best_sellers;   // ≤ 9, by sales
  std::vector<domain::Item> top_discounts;  // ≤ 9, by discount rate
};

class CatalogService {
 public:
  // counts: optional cache of match counts per filter set (not per page or
  // sort), so paging through a search counts once per TTL.
  explicit CatalogService(storage::ItemRepository& items, infra::TtlCache* counts = nullptr)
      : items_(items), counts_(counts) {}

  storage::ItemPage Search(const domain::ItemQuery& query);
  static constexpr const char* kCountCachePrefix = "count?";
  // Throws ITEM_NOT_FOUND (404) for a missing or hidden item.
  domain::Item Detail(std::int64_t id);
  MainPage Main();
  std::vector<std::pair<domain::Category, std::int64_t>> Categories() { return items_.CountByCategory(); }

  static constexpr int kMainPageSize = 9;

 private:
  storage::ItemRepository& items_;
  infra::TtlCache* counts_;
};

}  // namespace pillivery::service
