#include "service/catalog_service.hpp"

#include "domain/error.hpp"

namespace pillivery::service {

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
