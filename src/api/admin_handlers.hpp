#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/catalog/admin_catalog_service.hpp"
#include "storage/order_repository.hpp"

namespace pillivery::api {

// /api/admin/…: callers have already been checked for the ADMIN role.
class AdminHandlers {
 public:
  AdminHandlers(service::AdminCatalogService& catalog, storage::OrderRepository& orders)
      : catalog_(catalog), orders_(orders) {}

  http::Response CreateItem(http::Request& request, const domain::Principal& admin);
  http::Response UpdateItem(http::Request& request, const domain::Principal& admin);
  http::Response HideItem(http::Request& request, const domain::Principal& admin);
  http::Response ListOrders(http::Request& request, const domain::Principal& admin);
  // GET /api/admin/items?status&stock&keyword&page&size: HIDDEN items included.
  http::Response ListItems(http::Request& request, const domain::Principal& admin);

 private:
  service::AdminCatalogService& catalog_;
  storage::OrderRepository& orders_;
};

}  // namespace pillivery::api
