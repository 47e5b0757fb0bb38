#include "domain/checkout.hpp"

#include <algorithm>
#include <stdexcept>

namespace pillivery::domain {

std::vector<LineRequest> CheckoutLines(const std::vector<LineRequest>& lines) {
  std::vector<LineRequest> merged = MergeLines(lines);
  std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.item_id < b.item_id; });
  return merged;
}

CheckoutPlan DecideCheckout(const CheckoutRequest& request, const CheckoutFacts& facts) {
  const std::vector<LineRequest> lines = CheckoutLines(request.lines);
  if (facts.offers.size() != lines.size()) throw std::logic_error("DecideCheckout: one offer per checkout line");
  if (request.open_limits) {
    if (!facts.open) throw std::logic_error("DecideCheckout: open-order limits need the account's open orders");
    CheckOpenOrderLimits(*facts.open, lines, *request.open_limits);
  }
  CheckoutPlan plan;
  Order& order = plan.order;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CheckOrderable(lines[i].item_id, facts.offers[i]);
    order.lines.push_back(PriceLine(*facts.offers[i], lines[i]));
  }
  order.user_id = request.user_id;
  order.type = request.type;
  order.status = OrderStatus::kPendingPayment;
  order.receiver = request.receiver;
  order.totals = ComputeTotals(order.lines);
  order.created_at = request.now_iso;
  order.history.push_back({order.status, request.now_iso});
  plan.idempotency_key = request.idempotency_key;
  plan.created_at_ms = request.now_ms;
  plan.expires_at_ms = request.expires_at_ms;
  return plan;
}

}  // namespace pillivery::domain
