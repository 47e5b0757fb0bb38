#include "service/catalog/catalog_cache.hpp"

#include <charconv>
#include <string_view>

namespace pillivery::service {

bool CatalogCache::IsHot(const domain::ItemQuery& q) {
  return q.page.page == 1 && !q.keyword && !q.brand && !q.min_price && !q.max_price && !q.on_sale;
}

std::string CatalogCache::CountKey(const domain::ItemQuery& query) {
  domain::ItemQuery filters = query;
  filters.page = {};
  filters.sort = domain::ItemSort::kSales;
  return std::string(kCountPrefix) + filters.CacheKey();
}

void CatalogCache::ItemChanged(std::int64_t id) {
  catalog_.CatalogChanged();
  DropItemViews(id);
  if (publish_) publish_("item:" + std::to_string(id));
}

void CatalogCache::StockChanged(std::int64_t id) {
  cache_.Invalidate(DetailKey(id));
  if (publish_) publish_("stock:" + std::to_string(id));
}

void CatalogCache::FeedBrought(const std::vector<std::int64_t>& ids) {
  catalog_.KeywordsChanged();
  if (ids.size() > 1000) {  // an import or a seed: one sweep instead of one per item
    cache_.Clear();
    return;
  }
  DropListViews();
  for (auto id : ids) cache_.Invalidate(DetailKey(id));
}

void CatalogCache::Received(const std::string& message) {
  auto colon = message.find(':');
  std::int64_t id = 0;
  if (colon != std::string::npos) {
    auto digits = std::string_view(message).substr(colon + 1);
    std::from_chars(digits.data(), digits.data() + digits.size(), id);
  }
  std::string_view kind = std::string_view(message).substr(0, colon);
  if (id > 0 && kind == "item") {
    catalog_.CatalogChangedElsewhere();
    DropItemViews(id);
  } else if (id > 0 && kind == "stock") {
    cache_.Invalidate(DetailKey(id));
  } else {
    cache_.Clear();  // unknown (a newer server's message): dropping everything is always correct
  }
}

void CatalogCache::DropItemViews(std::int64_t id) {
  cache_.Invalidate(DetailKey(id));
  DropListViews();
}

void CatalogCache::DropListViews() {
  cache_.Invalidate(kMainPageKey);
  cache_.Invalidate(kCategoriesKey);
  cache_.InvalidatePrefix(kListPrefix);
  cache_.InvalidatePrefix(kCountPrefix);
}

}  // namespace pillivery::service
