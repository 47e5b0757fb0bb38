#pragma once
// The caller's two carts. Totals are derived from the lines on every read.
#include "domain/order.hpp"
#include "storage/cart_repository.hpp"
#include "storage/item_repository.hpp"

namespace pillivery::service {

struct CartView {
  domain::CartKind kind;
  std::vector<domain::PricedLine> lines;
  domain::Totals totals;
};

class CartService {
 public:
  CartService(storage::CartRepository& carts, storage::ItemRepository& items) : carts_(carts), items_(items) {}

  CartView Get(std::int64_t user_id, domain::CartKind kind);
  // Validates quantity (1–99) and, for the subscription cart, period (7–180); 404 ITEM_NOT_FOUND for unknown items.
  CartView Add(std::int64_t user_id, domain::CartKind kind, const domain::LineRequest& line);
  CartView Update(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id, std::optional<int> quantity,
                  std::optional<int> period);
  CartView Remove(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id);

 private:
  storage::CartRepository& carts_;
  storage::ItemRepository& items_;
};

}  // namespace pillivery::service
