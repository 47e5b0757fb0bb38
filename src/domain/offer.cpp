#include "domain/offer.hpp"

namespace pillivery::domain {

bool IsOnSale(ItemStatus status) { return status == ItemStatus::kOnSale; }

bool IsAvailable(const Offer& offer, std::int64_t quantity) {
  return IsOnSale(offer.status) && offer.stock >= quantity;
}

bool IsInStock(const Item& item) { return item.stock > 0; }

PricedLine PriceLine(const Offer& offer, const LineRequest& line) {
  PricedLine priced;
  priced.item_id = offer.item_id;
  priced.product_name = offer.product_name;
  priced.thumbnail_url = offer.thumbnail_url;
  priced.quantity = line.quantity;
  priced.period = line.period;
  priced.unit_origin_price = offer.unit_origin_price;
  priced.unit_real_price = offer.unit_real_price;
  priced.in_stock = IsAvailable(offer, line.quantity);
  return priced;
}

void CheckOrderable(std::int64_t item_id, const std::optional<Offer>& offer) {
  if (offer && IsOnSale(offer->status)) return;
  throw Error(ErrorCode::kItemNotFound, "No item with id " + std::to_string(item_id) + ".",
              {{"lines", "item " + std::to_string(item_id) + " does not exist"}});
}

Error OutOfStock(const std::vector<Shortage>& shortages) {
  std::vector<FieldError> lines;
  lines.reserve(shortages.size());
  for (const auto& s : shortages)
    lines.push_back({"lines", "item " + std::to_string(s.item_id) + " (" + s.product_name + ") has fewer than " +
                                  std::to_string(s.quantity) + " in stock"});
  return Error(ErrorCode::kOutOfStock, "Some items do not have enough stock.", std::move(lines));
}

}  // namespace pillivery::domain
