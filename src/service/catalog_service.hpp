#pragma once
// Catalog reads for customers: search, detail, the main page and categories.
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "infra/ttl_cache.hpp"
#include "service/keyword_index.hpp"
#include "storage/item_repository.hpp"

namespace pillivery::service {

struct MainPage {
  std::vector<domain::Item> best_sellers;   // ≤ 9, by sales
  std::vector<domain::Item> top_discounts;  // ≤ 9, by discount rate
};

class CatalogService {
 public:
  // counts: optional cache of match counts per filter set (not per page or
  // sort), so paging through a search counts once per TTL. keyword_index_age:
  // how old the in-memory keyword index may get (0: no index).
  explicit CatalogService(storage::ItemRepository& items, infra::TtlCache* counts = nullptr,
                          std::chrono::milliseconds keyword_index_age = std::chrono::milliseconds(0));

  storage::ItemPage Search(const domain::ItemQuery& query);
  static constexpr const char* kCountCachePrefix = "count?";
  // Throws ITEM_NOT_FOUND (404) for a missing or hidden item.
  domain::Item Detail(std::int64_t id);
  MainPage Main();
  std::vector<std::pair<domain::Category, std::int64_t>> Categories() { return items_.CountByCategory(); }

  // The catalog changed in this process: the keyword index is rebuilt.
  // Builds the keyword index in the background, so no search waits for it.
  void WarmKeywordIndex();
  void CatalogChanged();

  static constexpr int kMainPageSize = 9;
  // Above this many candidates a keyword is dense enough for the database's own
  // walk of the sort index; below, looking the candidates up is faster (SQLite,
  // 40k items: 200 ids ~0.12 ms, 1,600 ids ~5 ms against a 0.1-0.7 ms walk).
  static constexpr std::size_t kMaxKeywordCandidates = 300;

 private:
  storage::ItemRepository& items_;
  infra::TtlCache* counts_;
  std::unique_ptr<KeywordIndex> keywords_;
};

}  // namespace pillivery::service
