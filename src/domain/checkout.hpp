#pragma once
// Checkout's decision as one pure function: from what the checkout read under
// its unit of work (the account's open orders, each line's offer) and what the
// customer asked, the order to place — or the error that refuses it. Storage
// then applies the plan (the stock guard, the inserts) and the service commits.
#include "domain/offer.hpp"
#include "domain/order.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pillivery::domain {

// A validated order request, stamped with its times.
struct CheckoutRequest {
  std::int64_t user_id = 0;
  OrderType type = OrderType::kOneTime;
  std::vector<LineRequest> lines;
  Receiver receiver;
  std::optional<std::string> idempotency_key;
  std::int64_t now_ms = 0;
  std::int64_t expires_at_ms = 0;
  std::string now_iso;
  // Checked against the account's unpaid orders, read under its row lock.
  std::optional<OpenOrderLimits> open_limits;
};

// The lines a checkout orders: merged (MergeLines), in item-id order — the
// order their offers are read and their stock rows locked in, so concurrent
// checkouts cannot deadlock on each other.
std::vector<LineRequest> CheckoutLines(const std::vector<LineRequest>& lines);

// What the checkout read in its unit of work.
struct CheckoutFacts {
  std::optional<OpenOrders> open;  // read only when open-order limits apply
  // One per line of CheckoutLines(request.lines), in that order (nullopt: no such item).
  std::vector<std::optional<Offer>> offers;
};

// The order to place: priced lines, totals, header, first history entry (id 0
// until storage inserts it), with the columns only storage keeps.
struct CheckoutPlan {
  Order order;
  std::optional<std::string> idempotency_key;
  std::int64_t created_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

// Throws 409 TOO_MANY_OPEN_ORDERS / OPEN_QUANTITY_EXCEEDED past a limit, then
// 404 ITEM_NOT_FOUND for the first line (in item-id order) whose item is
// missing or not on sale. Stock is not decided here: its guard is atomic in
// storage, which reports the lines short (then OutOfStock).
CheckoutPlan DecideCheckout(const CheckoutRequest& request, const CheckoutFacts& facts);

}  // namespace pillivery::domain
