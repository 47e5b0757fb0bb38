#include "service/catalog_service.hpp"

#include "domain/error.hpp"

namespace pillivery::service {

CatalogService::CatalogService(storage::ItemRepository& items, infra::TtlCache* counts,
                               std::chrono::milliseconds keyword_index_age)
    : items_(items), counts_(counts) {
  if (keyword_index_age.count() > 0)
    keywords_ = std::make_unique<KeywordIndex>([this] { return items_.KeywordTexts(); }, keyword_index_age,
                                               kMaxKeywordCandidates);
}

void CatalogService::WarmKeywordIndex() {
  if (keywords_) keywords_->Warm();
}

void CatalogService::CatalogChanged() {
  if (keywords_) keywords_->MarkChanged();
}

storage::ItemPage CatalogService::Search(const domain::ItemQuery& query) {
  std::optional<std::vector<std::int64_t>> candidates;
  if (query.keyword && keywords_) candidates = keywords_->Candidates(*query.keyword);
  const std::vector<std::int64_t>* within = candidates ? &*candidates : nullptr;
  if (!counts_) return items_.Search(query, std::nullopt, within);
  domain::ItemQuery filters = query;
  filters.page = {};
  filters.sort = domain::ItemSort::kSales;
  std::string key = std::string(kCountCachePrefix) + filters.CacheKey();
  if (auto hit = counts_->Get(key)) return items_.Search(query, std::stoll(**hit), within);
  auto page = items_.Search(query, std::nullopt, within);
  counts_->Put(key, std::make_shared<const std::string>(std::to_string(page.total)));
  return page;
}

domain::Item CatalogService::Detail(std::int64_t id) {
  auto item = items_.FindById(id);
  if (!item) throw domain::Error::NotFound("ITEM_NOT_FOUND", "No item with id " + std::to_string(id) + ".");
  return *item;
}

MainPage CatalogService::Main() {
  domain::ItemQuery query;
  query.page.size = kMainPageSize;
  MainPage page;
  query.sort = domain::ItemSort::kSales;
  page.best_sellers = items_.Search(query).items;
  query.sort = domain::ItemSort::kDiscountRateDesc;
  query.on_sale = true;
  page.top_discounts = items_.Search(query).items;
  return page;
}

}  // namespace pillivery::service
