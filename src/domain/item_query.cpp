#include "domain/item_query.hpp"

#include "domain/error.hpp"

#include <charconv>

namespace pillivery::domain {
namespace {

struct SortInfo {
  ItemSort sort;
  std::string_view code;
};
constexpr SortInfo kSorts[] = {
    {ItemSort::kSales, "SALES"},
    {ItemSort::kNewest, "NEWEST"},
    {ItemSort::kPriceAsc, "PRICE_ASC"},
    {ItemSort::kPriceDesc, "PRICE_DESC"},
    {ItemSort::kDiscountRateDesc, "DISCOUNT_RATE_DESC"},
    {ItemSort::kDiscountRateAsc, "DISCOUNT_RATE_ASC"},
    {ItemSort::kReviewCount, "REVIEW_COUNT"},
    {ItemSort::kStar, "STAR"},
};

constexpr std::size_t kMaxKeywordBytes = 200;
constexpr std::int64_t kMaxPrice = 1'000'000'000;

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return value;
}

const std::string* Find(const std::map<std::string, std::string>& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

std::string Trim(std::string_view text) {
  auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

}  // namespace

std::optional<ItemSort> ParseItemSort(std::string_view code) {
  for (const auto& s : kSorts)
    if (s.code == code) return s.sort;
  return std::nullopt;
}

std::string_view CodeOf(ItemSort sort) {
  for (const auto& s : kSorts)
    if (s.sort == sort) return s.code;
  return "SALES";
}

PageRequest ParsePageRequest(const std::map<std::string, std::string>& params, Validator& v) {
  PageRequest page;
  if (auto* text = Find(params, "page")) {
    auto value = ParseInt64(*text);
    if (!value || *value < 1 || *value > 1'000'000)
      v.Add("page", "must be an integer from 1");
    else
      page.page = static_cast<int>(*value);
  }
  if (auto* text = Find(params, "size")) {
    auto value = ParseInt64(*text);
    if (!value || *value < 1)
      v.Add("size", "must be a positive integer (at most 100 is used)");
    else
      page.size = static_cast<int>(std::min<std::int64_t>(*value, PageRequest::kMaxPageSize));
  }
  return page;
}

ItemQuery ParseItemQuery(const std::map<std::string, std::string>& params) {
  ItemQuery query;
  Validator v;
  if (auto* text = Find(params, "keyword")) {
    std::string keyword = Trim(*text);
    if (keyword.size() > kMaxKeywordBytes)
      v.Add("keyword", "must be at most 200 bytes");
    else if (!keyword.empty())
      query.keyword = std::move(keyword);
  }
  if (auto* text = Find(params, "category"); text && !text->empty()) {
    query.category = ParseCategory(*text);
    if (!query.category) v.Add("category", "unknown category code");
  }
  if (auto* text = Find(params, "brand")) {
    std::string brand = Trim(*text);
    if (brand.size() > kMaxKeywordBytes)
      v.Add("brand", "must be at most 200 bytes");
    else if (!brand.empty())
      query.brand = std::move(brand);
  }
  auto price = [&](const char* name, std::optional<std::int64_t>& out) {
    if (auto* text = Find(params, name); text && !text->empty()) {
      auto value = ParseInt64(*text);
      if (!value || *value < 0 || *value > kMaxPrice)
        v.Add(name, "must be a whole number of won from 0 to 1000000000");
      else
        out = value;
    }
  };
  price("minPrice", query.min_price);
  price("maxPrice", query.max_price);
  if (query.min_price && query.max_price && *query.min_price > *query.max_price)
    v.Add("minPrice", "must not be greater than maxPrice");
  if (auto* text = Find(params, "onSale"); text && !text->empty()) {
    if (*text == "true")
      query.on_sale = true;
    else if (*text == "false")
      query.on_sale = false;
    else
      v.Add("onSale", "must be true or false");
  }
  if (auto* text = Find(params, "sort"); text && !text->empty()) {
    auto sort = ParseItemSort(*text);
    if (!sort)
      v.Add("sort",
            "must be one of SALES, NEWEST, PRICE_ASC, PRICE_DESC, DISCOUNT_RATE_DESC, DISCOUNT_RATE_ASC, REVIEW_COUNT, "
            "STAR");
    else
      query.sort = *sort;
  }
  if (auto* text = Find(params, "facets"); text && !text->empty()) {
    if (*text == "true")
      query.facets = true;
    else if (*text != "false")
      v.Add("facets", "must be true or false");
  }
  query.page = ParsePageRequest(params, v);
  v.ThrowIfAny();
  return query;
}

std::string ItemQuery::CacheKey() const {
  std::string key = "items?";
  key += "k=" + keyword.value_or("");
  key += "&c=" + std::string(category ? CodeOf(*category) : "");
  key += "&b=" + brand.value_or("");
  key += "&min=" + (min_price ? std::to_string(*min_price) : "");
  key += "&max=" + (max_price ? std::to_string(*max_price) : "");
  key += "&on=" + std::string(on_sale ? (*on_sale ? "1" : "0") : "");
  key += "&s=" + std::string(CodeOf(sort));
  key += "&p=" + std::to_string(page.page) + "&z=" + std::to_string(page.size);
  key += include_hidden ? "&h=1" : "";
  key += facets ? "&f=1" : "";
  return key;
}

}  // namespace pillivery::domain
