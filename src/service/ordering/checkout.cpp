#include "service/ordering/checkout.hpp"

#include "storage/connection_errors.hpp"
#include "storage/unit_of_work.hpp"

namespace pillivery::service {

namespace {
// How often a checkout runs when MariaDB picks it as a deadlock's victim.
constexpr int kAttempts = 3;
}  // namespace

// A checkout locks its items in id order, but other transactions (an outbox batch
// of several events' handlers) may lock them in another; when MariaDB picks the
// checkout as the deadlock's victim, nothing of it was kept, so it runs again.
domain::Order Checkout::Place(const domain::CheckoutRequest& request) {
  for (int attempt = 1;; ++attempt) {
    try {
      return PlaceOnce(request);
    } catch (const std::exception& e) {
      if (attempt >= kAttempts || !storage::IsDeadlockVictim(e)) throw;
    }
  }
}

domain::Order Checkout::PlaceOnce(const domain::CheckoutRequest& request) {
  using Result = storage::OrderRepository::PlaceResult;
  storage::UnitOfWork work(db_);
  if (request.idempotency_key)
    if (auto placed = orders_.FindByIdempotencyKey(work, request.user_id, *request.idempotency_key)) return *placed;
  // Locks in this order on MariaDB: the account's row, then the items' rows in
  // id order (Place), then the account's order count (Place's last write).
  domain::CheckoutFacts facts;
  if (request.open_limits) facts.open = orders_.LockOpenOrders(work, request.user_id);
  facts.offers = orders_.ReadOffers(work, domain::CheckoutLines(request.lines));
  const domain::CheckoutPlan plan = domain::DecideCheckout(request, facts);
  auto placement = orders_.Place(work, plan);
  switch (placement.result) {
    case Result::kPlaced:
      work.Commit();
      return placement.order;
    case Result::kOutOfStock:
      throw domain::OutOfStock(placement.shortages);  // the unit of work rolls the reservations back
    case Result::kKeyTaken:
      return placement.order;  // a concurrent request's order; ours is rolled back
  }
  throw std::logic_error("Checkout: unknown placement result");
}

}  // namespace pillivery::service
