#pragma once
// What the store needs to know of a payment the gateway holds, in no gateway's
// words: the approval flow and the refund check decide on these values, and each
// gateway's adapter reads its own answer into them (KakaoPay: its order lookup).
#include "payment/kakaopay_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pillivery::payment {

enum class GatewayPaymentState {
  kAwaitingCustomer,  // created, the customer has not finished at the gateway
  kApproved,          // approved (and maybe cancelled, in part or in full, since)
  kFailed,            // the customer's side ended without a payment: approval cannot succeed any more
};

struct PaymentLookup {
  GatewayPaymentState state = GatewayPaymentState::kAwaitingCustomer;
  std::string gateway_status;        // the gateway's own word, for logs and the stored failure code
  std::string approval_id;           // the approval's id at the gateway (KakaoPay: its aid)
  std::optional<std::string> sid;    // the subscription key issued with the approval
  std::int64_t cancelled_total = 0;  // what the gateway has refunded of it so far
};

// A KakaoPay status word (READY, SUCCESS_PAYMENT, QUIT_PAYMENT, ...) as a state.
GatewayPaymentState StateOfKakaoPayStatus(std::string_view status);
// KakaoPay's order lookup answer as a PaymentLookup.
PaymentLookup ReadKakaoPayOrder(const OrderResponse& order);

}  // namespace pillivery::payment
