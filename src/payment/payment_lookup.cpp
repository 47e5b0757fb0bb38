#include "payment/payment_lookup.hpp"

namespace pillivery::payment {

GatewayPaymentState StateOfKakaoPayStatus(std::string_view status) {
  if (status == "SUCCESS_PAYMENT" || status == "PART_CANCEL_PAYMENT" || status == "CANCEL_PAYMENT" ||
      status == "ISSUED_SID")
    return GatewayPaymentState::kApproved;
  if (status == "FAIL_AUTH_PASSWORD" || status == "QUIT_PAYMENT" || status == "FAIL_PAYMENT")
    return GatewayPaymentState::kFailed;
  return GatewayPaymentState::kAwaitingCustomer;  // READY, SEND_TMS, OPEN_PAYMENT, SELECT_METHOD, ...
}

PaymentLookup ReadKakaoPayOrder(const OrderResponse& order) {
  PaymentLookup lookup;
  lookup.state = StateOfKakaoPayStatus(order.status);
  lookup.gateway_status = order.status;
  lookup.sid = order.sid;
  lookup.cancelled_total = order.canceled_amount.total;
  // The approval's aid: the PAYMENT (or, for a subscription's first, ISSUED_SID) action.
  for (const auto& action : order.payment_action_details)
    if (action.payment_action_type == "PAYMENT" || action.payment_action_type == "ISSUED_SID") {
      lookup.approval_id = action.aid;
      return lookup;
    }
  if (!order.payment_action_details.empty()) lookup.approval_id = order.payment_action_details.front().aid;
  return lookup;
}

}  // namespace pillivery::payment
