#include "domain/order.hpp"

#include <algorithm>

#include <cctype>

namespace pillivery::domain {

std::optional<CartKind> ParseCartKind(std::string_view text) {
  if (text == "normal") return CartKind::kNormal;
  if (text == "subscription") return CartKind::kSubscription;
  return std::nullopt;
}
std::string_view CodeOf(CartKind kind) { return kind == CartKind::kNormal ? "normal" : "subscription"; }

std::optional<OrderType> ParseOrderType(std::string_view text) {
  if (text == "ONE_TIME") return OrderType::kOneTime;
  if (text == "SUBSCRIPTION") return OrderType::kSubscription;
  return std::nullopt;
}
std::string_view CodeOf(OrderType type) { return type == OrderType::kOneTime ? "ONE_TIME" : "SUBSCRIPTION"; }

namespace {
constexpr std::pair<OrderStatus, std::string_view> kStatusCodes[] = {
    {OrderStatus::kPendingPayment, "PENDING_PAYMENT"},
    {OrderStatus::kPaid, "PAID"},
    {OrderStatus::kShipped, "SHIPPED"},
    {OrderStatus::kDelivered, "DELIVERED"},
    {OrderStatus::kCancelled, "CANCELLED"},
    {OrderStatus::kRefunded, "REFUNDED"},
};
}  // namespace

std::optional<OrderStatus> ParseOrderStatus(std::string_view text) {
  for (auto [status, code] : kStatusCodes)
    if (code == text) return status;
  return std::nullopt;
}
std::string_view CodeOf(OrderStatus status) {
  for (auto [s, code] : kStatusCodes)
    if (s == status) return code;
  return "PENDING_PAYMENT";
}

bool CanTransition(OrderStatus from, OrderStatus to) {
  switch (from) {
    case OrderStatus::kPendingPayment:
      return to == OrderStatus::kPaid || to == OrderStatus::kCancelled;
    case OrderStatus::kPaid:
      return to == OrderStatus::kShipped || to == OrderStatus::kRefunded;
    case OrderStatus::kShipped:
      return to == OrderStatus::kDelivered;
    default:
      return false;
  }
}

Totals ComputeTotals(const std::vector<PricedLine>& lines) {
  Totals t;
  for (const auto& line : lines) {
    t.item_count += line.quantity;
    t.total_origin_price += line.LineOrigin();
    t.total_price += line.LineTotal();
  }
  t.total_discount_price = t.total_origin_price - t.total_price;
  return t;
}

bool IsKoreanMobile(std::string_view p) {
  // 01[016789] then optional '-', 3–4 digits, optional '-', 4 digits.
  if (p.size() < 10 || p.size() > 13 || p[0] != '0' || p[1] != '1') return false;
  if (std::string_view("016789").find(p[2]) == std::string_view::npos) return false;
  size_t i = 3;
  if (i < p.size() && p[i] == '-') ++i;
  size_t start = i;
  while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i]))) ++i;
  size_t run = i - start;
  bool dash = i < p.size() && p[i] == '-';
  if (dash) {
    if (run < 3 || run > 4) return false;
    ++i;
    size_t s2 = i;
    while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i]))) ++i;
    return i == p.size() && i - s2 == 4;
  }
  // No second dash: the digits after the prefix are 3–4 + 4.
  return i == p.size() && (run == 7 || run == 8);
}

namespace {
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }
}  // namespace

void ValidateReceiver(const Receiver& r, Validator& v, const std::string& prefix) {
  v.Check(!Blank(r.name) && Utf8Length(r.name) <= 50, prefix + "name", "required, at most 50 characters");
  v.Check(IsKoreanMobile(r.phone), prefix + "phone", "must be a Korean mobile number like 010-1234-5678");
  v.Check(!Blank(r.city) && Utf8Length(r.city) <= 100, prefix + "city", "required, at most 100 characters");
  v.Check(!Blank(r.detail_address) && Utf8Length(r.detail_address) <= 200, prefix + "detailAddress",
          "required, at most 200 characters");
}

void ValidateLine(const LineRequest& line, OrderType type, Validator& v, const std::string& prefix) {
  v.Check(line.item_id > 0, prefix + "itemId", "must be a positive integer");
  v.Check(line.quantity >= kMinQuantity && line.quantity <= kMaxQuantity, prefix + "quantity", "must be from 1 to 99");
  if (type == OrderType::kSubscription) {
    v.Check(line.period && *line.period >= kMinPeriodDays && *line.period <= kMaxPeriodDays, prefix + "period",
            "must be from 7 to 180 days");
  } else {
    v.Check(!line.period, prefix + "period", "only subscription lines have a period");
  }
}

std::vector<LineRequest> MergeLines(const std::vector<LineRequest>& lines) {
  std::vector<LineRequest> merged;
  for (const auto& line : lines) {
    auto same =
        std::find_if(merged.begin(), merged.end(), [&](const LineRequest& m) { return m.item_id == line.item_id; });
    if (same == merged.end())
      merged.push_back(line);
    else
      same->quantity += line.quantity;
  }
  return merged;
}

std::vector<LineRequest> MergeLines(const std::vector<LineRequest>& lines, Validator& v) {
  for (auto line = lines.begin(); line != lines.end(); ++line) {
    auto first = std::find_if(lines.begin(), line, [&](const LineRequest& m) { return m.item_id == line->item_id; });
    if (first != line && first->period != line->period)
      v.Add("lines", "item " + std::to_string(line->item_id) + " appears twice with different periods");
  }
  return MergeLines(lines);
}

void CheckOpenOrderLimits(const OpenOrders& open, const std::vector<LineRequest>& lines,
                          const OpenOrderLimits& limits) {
  if (open.count >= limits.max_open_unpaid)
    throw Error(ErrorCode::kTooManyOpenOrders,
                "You already have " + std::to_string(open.count) +
                    " orders awaiting payment; pay or cancel one before ordering again (at most " +
                    std::to_string(limits.max_open_unpaid) + ").");
  std::vector<FieldError> over;
  for (const auto& line : lines) {
    std::int64_t held = 0;
    for (const auto& [item, quantity] : open.quantity_by_item)
      if (item == line.item_id) held += quantity;
    if (held + line.quantity > limits.max_quantity_per_item)
      over.push_back({"lines", "item " + std::to_string(line.item_id) + ": " + std::to_string(held) +
                                   " already reserved in unpaid orders, at most " +
                                   std::to_string(limits.max_quantity_per_item) + " in all"});
  }
  if (!over.empty())
    throw Error(ErrorCode::kOpenQuantityExceeded,
                "Unpaid orders may reserve only so much of one item; pay or cancel one first.", std::move(over));
}

}  // namespace pillivery::domain
