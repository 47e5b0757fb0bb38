#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

namespace pillivery::api {

class CatalogHandlers {
 public:
  explicit CatalogHandlers(ApiContext& context) : context_(context) {}

  http::Response ListItems(http::Request& request);
  http::Response MainPage(http::Request& request);
  http::Response ItemDetail(http::Request& request);
  http::Response Categories(http::Request& request);

 private:
  ApiContext& context_;
};

}  // namespace pillivery::api
