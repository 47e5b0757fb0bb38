#pragma once
// Fulfilment rules (issue #12 item 8): what may be shipped, delivered, and
// cancelled by the customer. PAID ──ship──▶ SHIPPED ──deliver──▶ DELIVERED; a
// customer may cancel (full refund) only until the order ships.
#include "domain/error.hpp"
#include "domain/order.hpp"

#include <string>

namespace pillivery::domain {

struct ShipRequest {
  std::string carrier;          // 1-40 characters
  std::string tracking_number;  // 1-64 of A-Z a-z 0-9 and '-'
};

// Adds field errors (carrier, trackingNumber) for a bad request.
void ValidateShipRequest(const ShipRequest& request, Validator& v);
// 409 ORDER_NOT_SHIPPABLE unless the order is PAID.
void CheckShippable(const Order& order);
// 409 ORDER_NOT_DELIVERABLE unless the order is SHIPPED.
void CheckDeliverable(const Order& order);
// A customer's cancel: 409 ORDER_ALREADY_SHIPPED once shipped or delivered (an
// admin may still refund), 409 ORDER_NOT_CANCELLABLE when cancelled or refunded.
void CheckCustomerCancellable(const Order& order);

}  // namespace pillivery::domain
