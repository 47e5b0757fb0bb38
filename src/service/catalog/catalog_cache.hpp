#pragma once
// The catalog's cached views, in one place: which keys exist (an item's
// detail, the main page, the category list, the hot list pages, match
// counts), who reads them, and what drops them — on this server and, through
// the broadcast, on the others. Handlers read through it; writers (admin
// edits, reviews, checkout's stock moves, the index's change feed, the Redis
// broadcast) call the matching *Changed / Received. app/ only wires it.
#include "domain/item_query.hpp"
#include "infra/ttl_cache.hpp"
#include "service/catalog/catalog_service.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pillivery::service {

class CatalogCache {
 public:
  using Value = infra::TtlCache::Value;
  using Render = std::function<std::string()>;
  // Sends a message to every server's Received (none: a single server).
  using Publish = std::function<void(const std::string&)>;

  CatalogCache(infra::TtlCache& cache, CatalogService& catalog) : cache_(cache), catalog_(catalog) {}

  // Called once at wiring, before any request, when Redis is configured.
  void SetPublisher(Publish publish) { publish_ = std::move(publish); }

  // Reads: the cached body, or (GetOrCompute) the rendered one, kept unless an
  // invalidation ran meanwhile. A list page is cached only when hot.
  std::optional<Value> CachedDetail(std::int64_t id) { return cache_.Get(DetailKey(id)); }
  Value Detail(std::int64_t id, const Render& render) { return cache_.GetOrCompute(DetailKey(id), render); }
  std::optional<Value> CachedMainPage() { return cache_.Get(kMainPageKey); }
  Value MainPage(const Render& render) { return cache_.GetOrCompute(kMainPageKey, render); }
  std::optional<Value> CachedCategories() { return cache_.Get(kCategoriesKey); }
  Value Categories(const Render& render) { return cache_.GetOrCompute(kCategoriesKey, render); }
  // Only the hot, unfiltered first pages are cached: the category tabs of the storefront.
  static bool IsHot(const domain::ItemQuery& query);
  std::optional<Value> CachedPage(const domain::ItemQuery& query) { return cache_.Get(query.CacheKey()); }
  Value Page(const domain::ItemQuery& query, const Render& render) {
    return cache_.GetOrCompute(query.CacheKey(), render);
  }
  // The key CatalogService keeps a search's match count under (paging and sort left out).
  static std::string CountKey(const domain::ItemQuery& query);

  // Writes. An item changed in this process (admin edit, image, review): the
  // catalog index reads the change now, and every view it appears in goes,
  // here and on the other servers.
  void ItemChanged(std::int64_t id);
  // Its stock changed (checkout, expiry): only the detail shows stock.
  void StockChanged(std::int64_t id);
  // The catalog index's change feed brought these items (whoever wrote them:
  // this server, another, an import): views built from older data go.
  void FeedBrought(const std::vector<std::int64_t>& ids);
  // A broadcast message; this server's own come back too, harmlessly.
  void Received(const std::string& message);
  // The broadcast (re)subscribed: messages may have been missed.
  void Resubscribed() { cache_.Clear(); }

 private:
  static std::string DetailKey(std::int64_t id) { return "item:" + std::to_string(id); }
  static constexpr const char* kMainPageKey = "main";
  static constexpr const char* kCategoriesKey = "categories";
  static constexpr const char* kListPrefix = "items?";  // domain::ItemQuery::CacheKey's start
  static constexpr const char* kCountPrefix = "count?";

  void DropItemViews(std::int64_t id);
  void DropListViews();

  infra::TtlCache& cache_;
  CatalogService& catalog_;
  Publish publish_;
};

}  // namespace pillivery::service
