#pragma once
#include "http/message.hpp"
#include "service/accounts/auth_service.hpp"
#include "service/catalog/catalog_cache.hpp"
#include "service/catalog/catalog_service.hpp"
#include "service/catalog/view_counter.hpp"

#include <optional>

namespace pillivery::api {

class CatalogHandlers {
 public:
  // views.Record() is memory-only (fine on the I/O thread); auth only verifies
  // a token's signature for the visitor key.
  CatalogHandlers(service::CatalogService& catalog, service::CatalogCache& cache, service::ViewCounter& views,
                  service::AuthService& auth)
      : catalog_(catalog), cache_(cache), views_(views), auth_(auth) {}

  http::Response ListItems(http::Request& request);
  http::Response MainPage(http::Request& request);
  http::Response ItemDetail(http::Request& request);
  http::Response Categories(http::Request& request);

  // Fast paths: the same answers straight from the cache on the I/O thread;
  // nothing on a miss (or bad input), so the handlers above run as usual.
  std::optional<http::Response> CachedListItems(http::Request& request);
  std::optional<http::Response> CachedMainPage(http::Request& request);
  std::optional<http::Response> CachedItemDetail(http::Request& request);
  std::optional<http::Response> CachedCategories(http::Request& request);

 private:
  service::CatalogService& catalog_;
  service::CatalogCache& cache_;
  service::ViewCounter& views_;
  service::AuthService& auth_;
};

}  // namespace pillivery::api
