#pragma once
// One checkout as one typed transaction, top-down: in one unit of work the
// facts are read (an order already placed with the idempotency key, the
// account's row lock and open orders when limits apply, each line's offer in
// item-id order), domain::DecideCheckout decides, OrderRepository::Place
// applies the plan (stock through the ledger's guard, the inserts, the order
// count last), and the checkout commits. OrderService calls it once the
// request is validated and stamped.
#include "domain/checkout.hpp"
#include "storage/database.hpp"
#include "storage/order_repository.hpp"

namespace pillivery::service {

class Checkout {
 public:
  Checkout(storage::Database& db, storage::OrderRepository& orders) : db_(db), orders_(orders) {}

  // The new order, or the one already placed with the request's idempotency
  // key. Throws TOO_MANY_OPEN_ORDERS / OPEN_QUANTITY_EXCEEDED (409),
  // ITEM_NOT_FOUND (404) and OUT_OF_STOCK (409, naming the items short);
  // nothing is kept then.
  domain::Order Place(const domain::CheckoutRequest& request);

 private:
  domain::Order PlaceOnce(const domain::CheckoutRequest& request);
  storage::Database& db_;
  storage::OrderRepository& orders_;
};

}  // namespace pillivery::service
