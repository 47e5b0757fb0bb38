#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

#include <optional>

namespace pillivery::api {

class CatalogHandlers {
 public:
  explicit CatalogHandlers(ApiContext& context) : context_(context) {}

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
  ApiContext& context_;
};

}  // namespace pillivery::api
