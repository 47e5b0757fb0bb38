#pragma once
// Carts and orders: the pure rules (states, transitions, totals, validation).
#include "domain/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::domain {

enum class CartKind { kNormal, kSubscription };
std::optional<CartKind> ParseCartKind(std::string_view text);  // "normal" | "subscription"
std::string_view CodeOf(CartKind kind);

enum class OrderType { kOneTime, kSubscription };
std::optional<OrderType> ParseOrderType(std::string_view text);
std::string_view CodeOf(OrderType type);

enum class OrderStatus { kPendingPayment, kPaid, kShipped, kDelivered, kCancelled, kRefunded };
std::optional<OrderStatus> ParseOrderStatus(std::string_view text);
std::string_view CodeOf(OrderStatus status);
// The order state machine of product.md §1.
bool CanTransition(OrderStatus from, OrderStatus to);

inline constexpr int kMinQuantity = 1;
inline constexpr int kMaxQuantity = 99;
inline constexpr int kMinPeriodDays = 7;
inline constexpr int kMaxPeriodDays = 180;

// A line the customer asks for; prices come from the catalog, never the client.
struct LineRequest {
  std::int64_t item_id = 0;
  int quantity = 0;
  std::optional<int> period;  // subscription lines only
};

// Priced lines and their totals, always derived.
struct PricedLine {
  std::int64_t line_id = 0;  // order lines only
  std::int64_t item_id = 0;
  std::string product_name;
  std::string thumbnail_url;
  int quantity = 0;
  std::optional<int> period;
  std::int64_t unit_origin_price = 0;
  std::int64_t unit_real_price = 0;
  bool in_stock = true;
  std::int64_t LineTotal() const { return unit_real_price * quantity; }
  std::int64_t LineOrigin() const { return unit_origin_price * quantity; }
};

struct Totals {
  int item_count = 0;
  std::int64_t total_origin_price = 0;
  std::int64_t total_discount_price = 0;
  std::int64_t total_price = 0;
};
Totals ComputeTotals(const std::vector<PricedLine>& lines);

struct Receiver {
  std::string name;
  std::string phone;
  std::string city;
  std::string detail_address;
};

// Korean mobile number: 01[016789]-?\d{3,4}-?\d{4}.
bool IsKoreanMobile(std::string_view phone);
// Adds field errors (prefix + "name", …) for a bad receiver.
void ValidateReceiver(const Receiver& receiver, Validator& v, const std::string& prefix = "receiver.");
// Adds field errors for quantity and period of one line of the given type.
void ValidateLine(const LineRequest& line, OrderType type, Validator& v, const std::string& prefix);

// Lines of the same item become one, quantities added, in first-seen order,
// keeping the first line's period, before any per-line rule is checked (two
// lines of 60 are one line of 120, over the cap).
std::vector<LineRequest> MergeLines(const std::vector<LineRequest>& lines);
// The same, where lines of one item with different periods are an error.
std::vector<LineRequest> MergeLines(const std::vector<LineRequest>& lines, Validator& v);

// Stock hoarding (issue #13): how much an account may hold reserved in
// unpaid orders at once.
struct OpenOrderLimits {
  int max_open_unpaid = 5;
  int max_quantity_per_item = 99;
};
// What the account already holds in unpaid orders.
struct OpenOrders {
  std::int64_t count = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> quantity_by_item;  // item id → quantity
};
// Throws 409 TOO_MANY_OPEN_ORDERS or OPEN_QUANTITY_EXCEEDED when `lines`
// (merged) would take the account past a limit.
void CheckOpenOrderLimits(const OpenOrders& open, const std::vector<LineRequest>& lines, const OpenOrderLimits& limits);

struct StatusChange {
  OrderStatus status;
  std::string at;
};

struct PaymentSummary {
  std::string provider;
  std::string tid;  // empty: a renewal settled by the gateway's duplicate answer (-785), whose tid we never learnt
  std::string approved_at;
  std::int64_t refunded_amount = 0;
  bool SettledByDuplicateAnswer() const { return tid.empty(); }
};

// Set when an admin ships the order (fulfilment); delivered_at when marked delivered.
struct Shipment {
  std::string carrier;
  std::string tracking_number;
  std::string shipped_at;
  std::optional<std::string> delivered_at;
};

struct Order {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  OrderType type = OrderType::kOneTime;
  OrderStatus status = OrderStatus::kPendingPayment;
  std::vector<PricedLine> lines;
  Receiver receiver;
  Totals totals;
  std::string created_at;
  std::optional<std::string> paid_at;
  std::vector<StatusChange> history;
  std::optional<PaymentSummary> payment;
  std::optional<Shipment> shipment;
};

}  // namespace pillivery::domain
