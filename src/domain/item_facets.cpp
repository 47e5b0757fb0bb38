#include "domain/item_facets.hpp"

#include <algorithm>

namespace pillivery::domain {

const std::vector<PriceBand>& PriceBands() {
  static const std::vector<PriceBand> kBands = {
      {0, 9'999}, {10'000, 19'999}, {20'000, 29'999}, {30'000, 49'999}, {50'000, 99'999}, {100'000, std::nullopt},
  };
  return kBands;
}

std::size_t PriceBandOf(std::int64_t real_price) {
  const auto& bands = PriceBands();
  for (std::size_t i = 0; i + 1 < bands.size(); ++i)
    if (real_price <= *bands[i].max) return i;
  return bands.size() - 1;
}

void KeepTopBrands(std::vector<std::pair<std::string, std::int64_t>>& brands) {
  std::erase_if(brands, [](const auto& brand) { return brand.second <= 0; });
  auto before = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  if (brands.size() > ItemFacets::kMaxBrands) {
    std::partial_sort(brands.begin(), brands.begin() + ItemFacets::kMaxBrands, brands.end(), before);
    brands.resize(ItemFacets::kMaxBrands);
  } else {
    std::sort(brands.begin(), brands.end(), before);
  }
}

}  // namespace pillivery::domain
