#include "storage/item_rows.hpp"

#include "storage/row_reader.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pillivery::storage {

using domain::Category;
using domain::Item;

namespace {

std::vector<Category> SplitCodes(const std::string& codes) {
  std::vector<Category> out;
  std::string_view rest(codes);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    if (auto c = domain::ParseCategory(rest.substr(0, comma))) out.push_back(*c);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (out.empty()) out.push_back(Category::kEtc);
  return out;
}

}  // namespace

Item ReadItem(const soci::row& r, bool detail) {
  Item item;
  item.id = GetInt64(r, 0);
  item.product_name = GetString(r, 1);
  item.enterprise = GetString(r, 2);
  item.thumbnail_url = GetString(r, 3);
  item.main_function = GetString(r, 4);
  item.categories = SplitCodes(GetString(r, 5));
  item.price.origin = GetInt64(r, 6);
  item.price.rate_tenths = static_cast<int>(GetInt64(r, 7));
  item.stock = GetInt64(r, 8);
  item.sales = GetInt64(r, 9);
  item.review_count = GetInt64(r, 10);
  item.star_sum = GetInt64(r, 11);
  item.status = domain::ParseItemStatus(GetString(r, 12)).value_or(domain::ItemStatus::kHidden);
  item.created_at = GetString(r, 13);
  if (detail) {
    item.report_no = GetOptionalString(r, 14);
    item.registered_date = GetString(r, 15);
    item.distribution_period = GetString(r, 16);
    item.shape = GetString(r, 17);
    item.intake = GetString(r, 18);
    item.caution = GetString(r, 19);
    item.storage = GetString(r, 20);
    item.standard = GetString(r, 21);
    item.raw_materials = GetString(r, 22);
    item.description_image_url = GetString(r, 23);
    item.views = GetInt64(r, 24);
  }
  return item;
}

}  // namespace pillivery::storage
