#include "api/item_json.hpp"

#include "domain/offer.hpp"
#include "service/catalog/packshot_svg.hpp"

#include <cmath>

namespace pillivery::api {

namespace {
boost::json::array CategoryCodes(const domain::Item& item) {
  boost::json::array out;
  for (auto c : item.categories) out.emplace_back(domain::CodeOf(c));
  return out;
}
double Round2(double v) { return std::round(v * 100.0) / 100.0; }
// A whole percent goes out as an integer: 50, not the 50.0 a double writes.
boost::json::value Percent(int rate_tenths) {
  if (rate_tenths % 10 == 0) return boost::json::value(static_cast<std::int64_t>(rate_tenths / 10));
  return boost::json::value(domain::RateAsPercent(rate_tenths));
}
}  // namespace

boost::json::object ItemSummaryJson(const domain::Item& item) {
  return {
      {"itemId", item.id},
      {"productName", item.product_name},
      {"enterprise", item.enterprise},
      {"thumbnailUrl", service::ThumbnailUrlOf(item.id, item.thumbnail_url)},
      {"mainFunction", item.main_function},
      {"categories", CategoryCodes(item)},
      {"originPrice", item.price.origin},
      {"discountRate", Percent(item.price.rate_tenths)},
      {"discountPrice", item.price.Discount()},
      {"realPrice", item.price.Real()},
      {"sales", item.sales},
      {"reviewCount", item.review_count},
      {"starAvg", Round2(item.StarAvg())},
      {"inStock", domain::IsInStock(item)},
  };
}

boost::json::object ItemDetailJson(const domain::Item& item) {
  boost::json::object out = ItemSummaryJson(item);
  out["reportNo"] = item.report_no ? boost::json::value(*item.report_no) : boost::json::value(nullptr);
  out["registeredDate"] = item.registered_date;
  out["distributionPeriod"] = item.distribution_period;
  out["shape"] = item.shape;
  out["intake"] = item.intake;
  out["caution"] = item.caution;
  out["storage"] = item.storage;
  out["standard"] = item.standard;
  out["rawMaterials"] = item.raw_materials;
  out["descriptionImageUrl"] = item.description_image_url;
  out["stock"] = item.stock;
  out["views"] = item.views;
  out["status"] = domain::CodeOf(item.status);
  // starAvg exact (not rounded) in the detail.
  out["starAvg"] = item.StarAvg();
  return out;
}

boost::json::value PageInfoJson(int page, int size, std::int64_t total) {
  std::int64_t pages = total == 0 ? 0 : (total + size - 1) / size;
  return {{"page", page}, {"size", size}, {"totalElements", total}, {"totalPages", pages}};
}

http::Response PageResponse(boost::json::array data, const domain::PageRequest& page, std::int64_t total) {
  return http::Response::Json(
      200, boost::json::object{{"data", std::move(data)}, {"pageInfo", PageInfoJson(page.page, page.size, total)}});
}

}  // namespace pillivery::api
