#pragma once
// Catalog reads for customers: search, detail, the main page and categories.
#include "domain/item.hpp"
#include "domain/item_facets.hpp"
#include "domain/item_query.hpp"
#include "infra/ttl_cache.hpp"
#include "service/catalog/catalog_index_refresher.hpp"
#include "service/catalog/keyword_index.hpp"
#include "storage/item_repository.hpp"

namespace pillivery::service {

struct MainPage {
  std::vector<domain::Item> best_sellers;   // ≤ 9, by sales
  std::vector<domain::Item> top_discounts;  // ≤ 9, by discount rate
};

class CatalogService {
 public:
  // counts: optional cache of match counts per filter set (not per page or
  // sort; CatalogCache::CountKey), so paging through a search counts once per TTL. keyword_index_age:
  // how old the in-memory keyword index may get (0: no index). index: the
  // in-memory catalog index that answers searches once built (nullopt: the
  // database answers every search); on_index_change: the ids its change feed
  // brought (cached views of them are stale).
  explicit CatalogService(storage::ItemRepository& items, infra::TtlCache* counts = nullptr,
                          std::chrono::milliseconds keyword_index_age = std::chrono::milliseconds(0),
                          std::optional<CatalogIndexOptions> index = std::nullopt,
                          CatalogIndexRefresher::OnChange on_index_change = {});

  // From the catalog index when it is built, else from the database (the
  // reference: both give the same page and total).
  storage::ItemPage Search(const domain::ItemQuery& query);
  // The index's answer, or nullopt when it has none (not built, or an admin
  // query with hidden items): never touches the database.
  std::optional<storage::ItemPage> SearchInMemory(const domain::ItemQuery& query);
  // The database's answer, whatever the index (the equivalence tests' reference).
  storage::ItemPage SearchDatabase(const domain::ItemQuery& query);
  // Facet counts for the search's filters (domain/item_facets.hpp); paging and sort ignored.
  domain::ItemFacets Facets(const domain::ItemQuery& query);
  std::optional<domain::ItemFacets> FacetsInMemory(const domain::ItemQuery& query);
  // Throws ITEM_NOT_FOUND (404) for a missing or hidden item.
  domain::Item Detail(std::int64_t id);
  MainPage Main();
  std::vector<std::pair<domain::Category, std::int64_t>> Categories() { return items_.CountByCategory(); }

  // Builds the keyword index in the background, so no search waits for it,
  // and starts the catalog index's refresher (its first build, then polls).
  void WarmKeywordIndex();
  void StartIndex();
  void StopIndex();
  // The catalog changed in this process: the catalog index reads the change
  // now (before this returns) and the keyword index is rebuilt.
  void CatalogChanged();
  // Another server announced a change: the catalog index reads the feed soon.
  void CatalogChangedElsewhere();
  // The change feed brought changes: the keyword index is rebuilt.
  void KeywordsChanged();
  CatalogIndexRefresher* Index() { return index_.get(); }

  static constexpr int kMainPageSize = 9;
  // Above this many candidates a keyword is dense enough for the database's own
  // walk of the sort index; below, looking the candidates up is faster (SQLite,
  // 40k items: 200 ids ~0.12 ms, 1,600 ids ~5 ms against a 0.1-0.7 ms walk).
  static constexpr std::size_t kMaxKeywordCandidates = 300;

 private:
  storage::ItemRepository& items_;
  infra::TtlCache* counts_;
  std::unique_ptr<KeywordIndex> keywords_;
  std::unique_ptr<CatalogIndexRefresher> index_;
};

}  // namespace pillivery::service
