#pragma once
// The admin catalog list (issue #12 item 11): every item, HIDDEN ones too,
// filtered by status, stock and keyword, newest first.
#include "domain/item.hpp"
#include "domain/item_query.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pillivery::domain {

enum class StockFilter { kInStock, kOutOfStock };                    // stock > 0 / stock = 0
std::optional<StockFilter> ParseStockFilter(std::string_view text);  // IN_STOCK | OUT_OF_STOCK

inline constexpr std::size_t kMaxAdminKeywordLength = 100;  // characters

struct AdminItemQuery {
  std::optional<ItemStatus> status;
  std::optional<StockFilter> stock;
  std::optional<std::string> keyword;  // a substring of the product name or the enterprise
  PageRequest page;
};

}  // namespace pillivery::domain
