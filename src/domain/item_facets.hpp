#pragma once
// Facet counts beside a catalog search (GET /api/items?facets=true): how many
// matching items each category, brand and price band holds. Each facet counts
// under every filter of the search except its own (a shopper who picked LIVER
// still sees how many items the other categories would give).
#include "domain/item.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pillivery::domain {

// realPrice bands, both bounds inclusive (so a band is a minPrice/maxPrice
// filter as it stands); the last has no upper bound.
struct PriceBand {
  std::int64_t min = 0;
  std::optional<std::int64_t> max;
};
const std::vector<PriceBand>& PriceBands();
// The band a real price falls in (an index into PriceBands()).
std::size_t PriceBandOf(std::int64_t real_price);

struct ItemFacets {
  std::vector<std::pair<Category, std::int64_t>> categories;    // every category, kAllCategories order
  std::vector<std::pair<std::string, std::int64_t>> brands;     // top kMaxBrands: count desc, then name
  std::vector<std::pair<PriceBand, std::int64_t>> price_bands;  // every band, ascending
  static constexpr std::size_t kMaxBrands = 20;
};

// Orders brand counts as the facet lists them and keeps the first kMaxBrands
// (zero counts dropped).
void KeepTopBrands(std::vector<std::pair<std::string, std::int64_t>>& brands);

}  // namespace pillivery::domain
