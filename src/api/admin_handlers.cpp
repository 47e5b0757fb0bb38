#include "api/admin_handlers.hpp"

#include "api/item_json.hpp"
#include "api/order_handlers.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"
#include "domain/admin_item_query.hpp"
#include "domain/user.hpp"

#include <cmath>

namespace pillivery::api {

namespace {

service::ItemPatch ParsePatch(const http::Request& request) {
  auto body = StrictJsonBody(request);
  domain::Validator v;
  service::ItemPatch p;
  p.product_name = StringField(body, "productName", v);
  p.enterprise = StringField(body, "enterprise", v);
  p.report_no = StringField(body, "reportNo", v);
  p.main_function = StringField(body, "mainFunction", v);
  p.thumbnail_url = StringField(body, "thumbnailUrl", v);
  p.description_image_url = StringField(body, "descriptionImageUrl", v);
  p.intake = StringField(body, "intake", v);
  p.caution = StringField(body, "caution", v);
  p.storage = StringField(body, "storage", v);
  p.standard = StringField(body, "standard", v);
  p.raw_materials = StringField(body, "rawMaterials", v);
  p.shape = StringField(body, "shape", v);
  p.distribution_period = StringField(body, "distributionPeriod", v);
  p.origin_price = IntField(body, "originPrice", v, 0, 1'000'000'000);
  p.stock = IntField(body, "stock", v, 0, 1'000'000'000);
  if (auto it = body.find("discountRate"); it != body.end() && !it->value().is_null()) {
    std::optional<int> rate;
    if (it->value().is_number()) {
      double percent = it->value().to_number<double>();
      long tenths = std::lround(percent * 10);
      if (percent >= 0 && percent <= 100 && std::abs(percent * 10 - static_cast<double>(tenths)) < 1e-6)
        rate = static_cast<int>(tenths);
    }
    if (!rate) v.Add("discountRate", "must be a percent from 0 to 100 with at most one decimal");
    p.discount_rate_tenths = rate;
  }
  if (auto status = StringField(body, "status", v)) {
    p.status = domain::ParseItemStatus(*status);
    if (!p.status) v.Add("status", "must be ON_SALE or HIDDEN");
  }
  v.ThrowIfAny();
  return p;
}

}  // namespace

http::Response AdminHandlers::CreateItem(http::Request& request, const domain::Principal&) {
  return http::Response::Data(201, ItemDetailJson(catalog_.Create(ParsePatch(request))));
}

http::Response AdminHandlers::UpdateItem(http::Request& request, const domain::Principal&) {
  auto id = PathId(request, "id");
  return http::Response::Data(200, ItemDetailJson(catalog_.Update(id, ParsePatch(request))));
}

http::Response AdminHandlers::HideItem(http::Request& request, const domain::Principal&) {
  catalog_.Hide(PathId(request, "id"));
  return http::Response::NoContent();
}

http::Response AdminHandlers::ListOrders(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  auto status = EnumQuery(request, "status", domain::ParseOrderStatus, v);
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  return OrderPageResponse(orders_.List(std::nullopt, status, page), page);
}

http::Response AdminHandlers::ListItems(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  domain::AdminItemQuery query;
  query.status = EnumQuery(request, "status", domain::ParseItemStatus, v);
  query.stock = EnumQuery(request, "stock", domain::ParseStockFilter, v);
  if (auto keyword = request.QueryValue("keyword"); keyword && !keyword->empty()) {
    auto length = domain::Utf8Length(*keyword);
    if (!length || *length > domain::kMaxAdminKeywordLength)
      v.Add("keyword", "at most 100 characters of valid UTF-8");
    else
      query.keyword = std::string(*keyword);
  }
  query.page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  auto page = catalog_.List(query);
  boost::json::array data;
  for (const auto& item : page.items) data.push_back(ItemDetailJson(item));
  return PageResponse(std::move(data), query.page, page.total);
}

}  // namespace pillivery::api
