#include "service/ordering/order_service.hpp"

#include "domain/fulfilment.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;

namespace {
std::int64_t EpochMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
Error OrderNotFound(std::int64_t id) {
  return Error(ErrorCode::kOrderNotFound, "No order with id " + std::to_string(id) + ".");
}
}  // namespace

domain::Order OrderService::Place(std::int64_t user_id, const PlaceOrder& request) {
  domain::Validator v;
  domain::ValidateReceiver(request.receiver, v);
  std::vector<domain::LineRequest> lines = request.lines;
  if (request.from_cart) {
    if (!lines.empty()) v.Add("lines", "give lines or fromCart, not both");
    auto kind =
        request.type == domain::OrderType::kOneTime ? domain::CartKind::kNormal : domain::CartKind::kSubscription;
    for (const auto& line : carts_.Lines(user_id, kind)) lines.push_back({line.item_id, line.quantity, line.period});
    if (lines.empty() && v.Ok()) throw Error(ErrorCode::kCartEmpty, "The cart has no lines to order.");
  } else if (lines.empty()) {
    v.Add("lines", "at least one line is required");
  }
  if (lines.size() > 100)
    v.Add("lines", "at most 100 lines");
  else
    lines = domain::MergeLines(lines, v);  // caps apply per item, not per line
  for (size_t i = 0; i < lines.size() && i < 100; ++i)
    domain::ValidateLine(lines[i], request.type, v, "lines[" + std::to_string(i) + "].");
  v.ThrowIfAny();

  auto now = clock_.Now();
  domain::CheckoutRequest stamped;
  stamped.user_id = user_id;
  stamped.type = request.type;
  stamped.lines = std::move(lines);
  stamped.receiver = request.receiver;
  stamped.idempotency_key = request.idempotency_key;
  stamped.now_ms = EpochMs(now);
  stamped.expires_at_ms = EpochMs(now + expiry_);
  stamped.now_iso = infra::FormatIsoTime(now);
  stamped.open_limits = open_limits_;
  auto created = checkout_.Place(stamped);
  NotifyStock(created);
  return created;
}

void OrderService::PaymentAbandoned(std::int64_t order_id) {
  orders_.ShortenExpiry(order_id, EpochMs(clock_.Now() + abandoned_hold_));
}

void OrderService::NotifyStock(const domain::Order& order) {
  if (!stock_changed_) return;
  std::vector<std::int64_t> ids;
  for (const auto& line : order.lines) ids.push_back(line.item_id);
  stock_changed_(ids);
}

domain::Order OrderService::Get(std::int64_t user_id, std::int64_t order_id) {
  auto order = orders_.Find(order_id);
  if (!order || order->user_id != user_id) throw OrderNotFound(order_id);
  return *order;
}

storage::OrderPage OrderService::List(std::int64_t user_id, std::optional<domain::OrderStatus> status,
                                      const domain::PageRequest& page) {
  return orders_.List(user_id, status, page);
}

domain::Order OrderService::Cancel(std::int64_t user_id, std::int64_t order_id) {
  domain::Order order = Get(user_id, order_id);
  domain::CheckCustomerCancellable(order);  // 409 ORDER_ALREADY_SHIPPED once it has shipped
  if (order.status == domain::OrderStatus::kPaid && cancel_paid_) {
    auto refunded = cancel_paid_(user_id, order_id);
    NotifyStock(order);
    return refunded;
  }
  if (!orders_.CancelPending(order_id, infra::FormatIsoTime(clock_.Now())))
    throw Error(ErrorCode::kOrderNotCancellable, "Only an order awaiting payment can be cancelled here; this one is " +
                                                     std::string(domain::CodeOf(order.status)) + ".");
  NotifyStock(order);
  return Get(user_id, order_id);
}

int OrderService::ExpireUnpaid(int limit) {
  auto now = clock_.Now();
  return orders_.ExpireUnpaid(EpochMs(now), infra::FormatIsoTime(now), limit);
}

}  // namespace pillivery::service
