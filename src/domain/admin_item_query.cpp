#include "domain/admin_item_query.hpp"

namespace pillivery::domain {

std::optional<StockFilter> ParseStockFilter(std::string_view text) {
  if (text == "IN_STOCK") return StockFilter::kInStock;
  if (text == "OUT_OF_STOCK") return StockFilter::kOutOfStock;
  return std::nullopt;
}

}  // namespace pillivery::domain
