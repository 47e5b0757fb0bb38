#include "domain/fulfilment.hpp"

#include "domain/user.hpp"

#include <algorithm>

namespace pillivery::domain {

namespace {
bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }
bool TrackingChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
std::string StatusText(const Order& order) { return std::string(CodeOf(order.status)); }
}  // namespace

void ValidateShipRequest(const ShipRequest& r, Validator& v) {
  auto carrier_length = Utf8Length(r.carrier);
  v.Check(!Blank(r.carrier) && carrier_length && *carrier_length <= 40, "carrier", "required, at most 40 characters");
  v.Check(!r.tracking_number.empty() && r.tracking_number.size() <= 64 &&
              std::all_of(r.tracking_number.begin(), r.tracking_number.end(), TrackingChar),
          "trackingNumber", "required, 1 to 64 letters, digits or '-'");
}

void CheckShippable(const Order& order) {
  if (order.status != OrderStatus::kPaid)
    throw Error(ErrorCode::kOrderNotShippable,
                "Only a PAID order can be shipped; this one is " + StatusText(order) + ".");
}

void CheckDeliverable(const Order& order) {
  if (order.status != OrderStatus::kShipped)
    throw Error(ErrorCode::kOrderNotDeliverable,
                "Only a SHIPPED order can be marked delivered; this one is " + StatusText(order) + ".");
}

void CheckCustomerCancellable(const Order& order) {
  if (order.status == OrderStatus::kShipped || order.status == OrderStatus::kDelivered)
    throw Error(ErrorCode::kOrderAlreadyShipped,
                "The order has shipped and can no longer be cancelled; ask the store for a refund.");
  if (order.status != OrderStatus::kPendingPayment && order.status != OrderStatus::kPaid)
    throw Error(ErrorCode::kOrderNotCancellable,
                "Only an unpaid or paid, unshipped order can be cancelled; this one is " + StatusText(order) + ".");
}

}  // namespace pillivery::domain
