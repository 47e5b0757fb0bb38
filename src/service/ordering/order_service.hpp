#pragma once
// Checkout: orders from a cart or explicit lines, validated and stamped here,
// then placed by service::Checkout (priced by the server, stock reserved in the
// order's transaction); cancel and expiry give the stock back.
#include "domain/order.hpp"
#include "infra/clock.hpp"
#include "service/ordering/checkout.hpp"
#include "storage/cart_repository.hpp"
#include "storage/order_repository.hpp"

#include <chrono>
#include <functional>

namespace pillivery::service {

struct PlaceOrder {
  domain::OrderType type = domain::OrderType::kOneTime;
  bool from_cart = false;
  std::vector<domain::LineRequest> lines;
  domain::Receiver receiver;
  std::optional<std::string> idempotency_key;
};

class OrderService {
 public:
  // stock_changed(item_ids): the items' cached detail views show a stale stock.
  using StockChanged = std::function<void(const std::vector<std::int64_t>&)>;
  OrderService(storage::OrderRepository& orders, Checkout& checkout, storage::CartRepository& carts,
               const infra::Clock& clock, std::chrono::minutes expiry, StockChanged stock_changed = {},
               std::optional<domain::OpenOrderLimits> open_limits = std::nullopt,
               std::chrono::minutes abandoned_hold = std::chrono::minutes(5))
      : orders_(orders),
        checkout_(checkout),
        carts_(carts),
        clock_(clock),
        expiry_(expiry),
        stock_changed_(std::move(stock_changed)),
        open_limits_(open_limits),
        abandoned_hold_(abandoned_hold) {}

  domain::Order Place(std::int64_t user_id, const PlaceOrder& request);
  // The caller's order; 404 ORDER_NOT_FOUND when missing or another user's.
  domain::Order Get(std::int64_t user_id, std::int64_t order_id);
  storage::OrderPage List(std::int64_t user_id, std::optional<domain::OrderStatus> status,
                          const domain::PageRequest& page);
  // PENDING_PAYMENT → CANCELLED (stock released); 409 ORDER_NOT_CANCELLABLE otherwise.
  domain::Order Cancel(std::int64_t user_id, std::int64_t order_id);
  int ExpireUnpaid(int limit = 500);
  // The customer quit or failed the payment: the order keeps its stock only
  // `abandoned_hold` more (a retry), not the rest of its expiry.
  void PaymentAbandoned(std::int64_t order_id);
  // Cancelling a PAID order refunds it: the payment service handles that case.
  void OnCancelPaid(std::function<domain::Order(std::int64_t user_id, std::int64_t order_id)> handler) {
    cancel_paid_ = std::move(handler);
  }

 private:
  storage::OrderRepository& orders_;
  Checkout& checkout_;
  storage::CartRepository& carts_;
  const infra::Clock& clock_;
  std::chrono::minutes expiry_;
  StockChanged stock_changed_;
  std::optional<domain::OpenOrderLimits> open_limits_;
  std::chrono::minutes abandoned_hold_;
  std::function<domain::Order(std::int64_t, std::int64_t)> cancel_paid_;
  void NotifyStock(const domain::Order& order);
};

}  // namespace pillivery::service
