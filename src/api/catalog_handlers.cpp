#include "api/catalog_handlers.hpp"

#include "api/item_json.hpp"
#include "api/params.hpp"
#include "api/visitor.hpp"
#include "infra/json_writer.hpp"

namespace pillivery::api {

namespace {

http::Response CachedJson(const infra::TtlCache::Value& body) {
  http::Response response;
  response.body = *body;
  return response;
}

std::optional<http::Response> CachedJson(std::optional<infra::TtlCache::Value> body) {
  if (!body) return std::nullopt;
  return CachedJson(*body);
}

boost::json::object FacetsJson(const domain::ItemFacets& facets) {
  boost::json::array categories, brands, bands;
  for (const auto& [category, count] : facets.categories)
    categories.push_back({{"code", domain::CodeOf(category)}, {"count", count}});
  for (const auto& [name, count] : facets.brands) brands.push_back({{"name", name}, {"count", count}});
  for (const auto& [band, count] : facets.price_bands)
    bands.push_back({{"min", band.min},
                     {"max", band.max ? boost::json::value(*band.max) : boost::json::value(nullptr)},
                     {"count", count}});
  return {{"categories", std::move(categories)}, {"brands", std::move(brands)}, {"priceBands", std::move(bands)}};
}

std::string PageBody(const domain::ItemQuery& query, const storage::ItemPage& page,
                     const std::optional<domain::ItemFacets>& facets) {
  boost::json::array data;
  for (const auto& item : page.items) data.push_back(ItemSummaryJson(item));
  boost::json::object body{{"data", std::move(data)},
                           {"pageInfo", PageInfoJson(query.page.page, query.page.size, page.total)}};
  if (facets) body["facets"] = FacetsJson(*facets);
  return infra::ToJson(body);
}

}  // namespace

http::Response CatalogHandlers::ListItems(http::Request& request) {
  domain::ItemQuery query = domain::ParseItemQuery(QueryMap(request));
  auto render = [&] {
    storage::ItemPage page = catalog_.Search(query);
    std::optional<domain::ItemFacets> facets;
    if (query.facets) facets = catalog_.Facets(query);
    return PageBody(query, page, facets);
  };
  if (service::CatalogCache::IsHot(query)) return CachedJson(cache_.Page(query, render));
  http::Response response;
  response.body = render();
  return response;
}

http::Response CatalogHandlers::MainPage(http::Request& request) {
  return CachedJson(cache_.MainPage([&] {
    service::MainPage page = catalog_.Main();
    boost::json::array best, discounts;
    for (const auto& item : page.best_sellers) best.push_back(ItemSummaryJson(item));
    for (const auto& item : page.top_discounts) discounts.push_back(ItemSummaryJson(item));
    boost::json::object data{{"bestSellers", std::move(best)}, {"topDiscounts", std::move(discounts)}};
    return infra::ToJson(boost::json::object{{"data", std::move(data)}});
  }));
}

http::Response CatalogHandlers::ItemDetail(http::Request& request) {
  std::int64_t id = PathId(request, "id");
  auto body = cache_.Detail(id, [&] {
    return infra::ToJson(boost::json::object{{"data", ItemDetailJson(catalog_.Detail(id))}});
  });
  views_.Record(id, VisitorKey(request, auth_));  // after the 404 check: only real items
  return CachedJson(body);
}

http::Response CatalogHandlers::Categories(http::Request& request) {
  return CachedJson(cache_.Categories([&] {
    boost::json::array data;
    for (const auto& [category, count] : catalog_.Categories())
      data.push_back({{"code", domain::CodeOf(category)}, {"label", domain::LabelOf(category)}, {"itemCount", count}});
    return infra::ToJson(boost::json::object{{"data", std::move(data)}});
  }));
}

std::optional<http::Response> CatalogHandlers::CachedListItems(http::Request& request) {
  domain::ItemQuery query = domain::ParseItemQuery(QueryMap(request));
  if (service::CatalogCache::IsHot(query)) {
    if (auto cached = CachedJson(cache_.CachedPage(query))) return cached;
  }
  // The catalog index answers any search in microseconds, without the
  // database: here on the I/O thread, with no hop to the blocking pool.
  // (A hot page it answers is cached by the handler's next miss, as before.)
  auto page = catalog_.SearchInMemory(query);
  if (!page) return std::nullopt;
  std::optional<domain::ItemFacets> facets;
  if (query.facets) {
    facets = catalog_.FacetsInMemory(query);
    if (!facets) return std::nullopt;  // withdrawn in between: the handler answers both from one source
  }
  http::Response response;
  response.body = PageBody(query, *page, facets);
  return response;
}

std::optional<http::Response> CatalogHandlers::CachedMainPage(http::Request&) {
  return CachedJson(cache_.CachedMainPage());
}

std::optional<http::Response> CatalogHandlers::CachedItemDetail(http::Request& request) {
  std::int64_t id = PathId(request, "id");
  auto response = CachedJson(cache_.CachedDetail(id));
  if (response) views_.Record(id, VisitorKey(request, auth_));  // a miss is counted by ItemDetail
  return response;
}

std::optional<http::Response> CatalogHandlers::CachedCategories(http::Request&) {
  return CachedJson(cache_.CachedCategories());
}

}  // namespace pillivery::api
