#include "service/catalog/catalog_service.hpp"

#include "service/catalog/catalog_cache.hpp"

#include "domain/error.hpp"

namespace pillivery::service {

CatalogService::CatalogService(storage::ItemRepository& items, infra::TtlCache* counts,
                               std::chrono::milliseconds keyword_index_age, std::optional<CatalogIndexOptions> index,
                               CatalogIndexRefresher::OnChange on_index_change)
    : items_(items), counts_(counts) {
  if (keyword_index_age.count() > 0)
    keywords_ = std::make_unique<KeywordIndex>([this] { return items_.KeywordTexts(); }, keyword_index_age,
                                               kMaxKeywordCandidates);
  if (index) index_ = std::make_unique<CatalogIndexRefresher>(items_, *index, std::move(on_index_change));
}

void CatalogService::WarmKeywordIndex() {
  if (keywords_) keywords_->Warm();
}

void CatalogService::StartIndex() {
  if (index_) index_->Start();
}

void CatalogService::StopIndex() {
  if (index_) index_->Stop();
}

void CatalogService::CatalogChanged() {
  KeywordsChanged();
  if (index_) index_->RefreshNow();
}

void CatalogService::CatalogChangedElsewhere() {
  KeywordsChanged();
  if (index_) index_->Wake();
}

void CatalogService::KeywordsChanged() {
  if (keywords_) keywords_->MarkChanged();
}

std::optional<storage::ItemPage> CatalogService::SearchInMemory(const domain::ItemQuery& query) {
  if (!index_ || query.include_hidden) return std::nullopt;
  auto index = index_->Current();
  if (!index) return std::nullopt;
  return index->Search(query);
}

storage::ItemPage CatalogService::Search(const domain::ItemQuery& query) {
  if (auto page = SearchInMemory(query)) return std::move(*page);
  return SearchDatabase(query);
}

std::optional<domain::ItemFacets> CatalogService::FacetsInMemory(const domain::ItemQuery& query) {
  if (!index_ || query.include_hidden) return std::nullopt;
  auto index = index_->Current();
  if (!index) return std::nullopt;
  return index->Facets(query);
}

domain::ItemFacets CatalogService::Facets(const domain::ItemQuery& query) {
  if (auto facets = FacetsInMemory(query)) return std::move(*facets);
  return items_.Facets(query);
}

storage::ItemPage CatalogService::SearchDatabase(const domain::ItemQuery& query) {
  std::optional<std::vector<std::int64_t>> candidates;
  if (query.keyword && keywords_) candidates = keywords_->Candidates(*query.keyword);
  const std::vector<std::int64_t>* within = candidates ? &*candidates : nullptr;
  if (!counts_) return items_.Search(query, std::nullopt, within);
  std::string key = CatalogCache::CountKey(query);
  if (auto hit = counts_->Get(key)) return items_.Search(query, std::stoll(**hit), within);
  auto page = items_.Search(query, std::nullopt, within);
  counts_->Put(key, std::make_shared<const std::string>(std::to_string(page.total)));
  return page;
}

domain::Item CatalogService::Detail(std::int64_t id) {
  auto item = items_.FindById(id);
  if (!item) throw domain::Error(domain::ErrorCode::kItemNotFound, "No item with id " + std::to_string(id) + ".");
  return *item;
}

MainPage CatalogService::Main() {
  domain::ItemQuery query;
  query.page.size = kMainPageSize;
  MainPage page;
  query.sort = domain::ItemSort::kSales;
  page.best_sellers = Search(query).items;
  query.sort = domain::ItemSort::kDiscountRateDesc;
  query.on_sale = true;
  page.top_discounts = Search(query).items;
  return page;
}

}  // namespace pillivery::service
