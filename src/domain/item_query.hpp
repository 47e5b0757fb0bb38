#pragma once
// The catalog search: filters, sorts and paging of GET /api/items, validated
// without I/O.
#include "domain/item.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pillivery::domain {

enum class ItemSort {
  kSales,
  kNewest,
  kPriceAsc,
  kPriceDesc,
  kDiscountRateDesc,
  kDiscountRateAsc,
  kReviewCount,
  kStar
};
std::optional<ItemSort> ParseItemSort(std::string_view code);
std::string_view CodeOf(ItemSort sort);

struct PageRequest {
  int page = 1;   // 1-based
  int size = 20;  // capped at kMaxPageSize
  static constexpr int kDefaultSize = 20;
  static constexpr int kMaxPageSize = 100;
  std::int64_t Offset() const { return static_cast<std::int64_t>(page - 1) * size; }
};

struct ItemQuery {
  std::optional<std::string> keyword;  // matched in product name and enterprise
  std::optional<Category> category;
  std::optional<std::string> brand;       // exact enterprise
  std::optional<std::int64_t> min_price;  // realPrice bounds, inclusive
  std::optional<std::int64_t> max_price;
  std::optional<bool> on_sale;  // true: discounted items only; false: undiscounted only
  ItemSort sort = ItemSort::kSales;
  PageRequest page;
  bool include_hidden = false;  // admin views only
  bool facets = false;          // facets=true: the answer also counts per category, brand and price band

  // A stable key for caching identical queries.
  std::string CacheKey() const;
};

// Parses query parameters (name → first value); throws VALIDATION_FAILED with a
// field error per bad parameter. minPrice > maxPrice is rejected (400), not swapped.
ItemQuery ParseItemQuery(const std::map<std::string, std::string>& params);
// page / size parameters shared by every paged endpoint.
PageRequest ParsePageRequest(const std::map<std::string, std::string>& params, class Validator& v);

}  // namespace pillivery::domain
