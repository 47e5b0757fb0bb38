#pragma once
// What the catalog offers of one item right now, and the rules read from it:
// availability (on sale, enough in stock) and the price of a line. Checkout,
// the cart and the review and catalog paths ask these, never SQL.
#include "domain/item.hpp"
#include "domain/order.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pillivery::domain {

struct Offer {
  std::int64_t item_id = 0;
  std::string product_name;
  std::string thumbnail_url;
  std::int64_t unit_origin_price = 0;
  std::int64_t unit_real_price = 0;  // the sale price stored with the item (Price::Real())
  ItemStatus status = ItemStatus::kOnSale;
  std::int64_t stock = 0;
};

// On sale: a customer may see it and order it (a hidden item is neither).
bool IsOnSale(ItemStatus status);
// On sale with at least `quantity` in stock.
bool IsAvailable(const Offer& offer, std::int64_t quantity);
// At least one unit left: what the catalog shows as in stock.
bool IsInStock(const Item& item);

// A requested line priced from the catalog's offer (never from the client):
// unit prices as offered, `in_stock` whether the offer covers the quantity.
PricedLine PriceLine(const Offer& offer, const LineRequest& line);

// Checkout: a line's item must exist and be on sale, else 404 ITEM_NOT_FOUND
// naming it (nullopt: no such item).
void CheckOrderable(std::int64_t item_id, const std::optional<Offer>& offer);

// A line whose stock could not be reserved.
struct Shortage {
  std::int64_t item_id = 0;
  std::string product_name;
  std::int64_t quantity = 0;
};
// 409 OUT_OF_STOCK naming every line short.
Error OutOfStock(const std::vector<Shortage>& shortages);

}  // namespace pillivery::domain
