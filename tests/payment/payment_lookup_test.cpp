// KakaoPay's order lookup read into the gateway-neutral PaymentLookup the
// approval flow and the refund check decide on.
#include "payment/payment_lookup.hpp"

#include <gtest/gtest.h>

namespace pillivery::payment {
namespace {

TEST(KakaoPayStatus, ApprovedFailedOrStillAwaitingTheCustomer) {
  for (const char* approved : {"SUCCESS_PAYMENT", "PART_CANCEL_PAYMENT", "CANCEL_PAYMENT", "ISSUED_SID"})
    EXPECT_EQ(StateOfKakaoPayStatus(approved), GatewayPaymentState::kApproved) << approved;
  for (const char* failed : {"FAIL_AUTH_PASSWORD", "QUIT_PAYMENT", "FAIL_PAYMENT"})
    EXPECT_EQ(StateOfKakaoPayStatus(failed), GatewayPaymentState::kFailed) << failed;
  for (const char* open : {"READY", "SEND_TMS", "OPEN_PAYMENT", "SELECT_METHOD", "ARS_WAITING", "AUTH_PASSWORD", ""})
    EXPECT_EQ(StateOfKakaoPayStatus(open), GatewayPaymentState::kAwaitingCustomer) << open;
}

TEST(KakaoPayOrder, TheApprovalIdIsThePaymentsAidNotALaterCancels) {
  OrderResponse order;
  order.status = "PART_CANCEL_PAYMENT";
  order.sid = "S1234567890987654321";
  order.canceled_amount.total = 2'500;
  order.payment_action_details = {{"A-cancel", "", 2'500, 0, 0, 0, "CANCEL", ""},
                                  {"A-pay", "", 27'000, 0, 0, 0, "PAYMENT", ""}};
  auto lookup = ReadKakaoPayOrder(order);
  EXPECT_EQ(lookup.state, GatewayPaymentState::kApproved);
  EXPECT_EQ(lookup.gateway_status, "PART_CANCEL_PAYMENT");
  EXPECT_EQ(lookup.approval_id, "A-pay");
  EXPECT_EQ(lookup.sid, order.sid);
  EXPECT_EQ(lookup.cancelled_total, 2'500);

  order.payment_action_details = {{"A-sid", "", 0, 0, 0, 0, "ISSUED_SID", ""}};
  EXPECT_EQ(ReadKakaoPayOrder(order).approval_id, "A-sid");
  order.payment_action_details = {{"A-other", "", 0, 0, 0, 0, "CANCEL", ""}};
  EXPECT_EQ(ReadKakaoPayOrder(order).approval_id, "A-other");  // no approval action: the first there is
  order.payment_action_details.clear();
  EXPECT_EQ(ReadKakaoPayOrder(order).approval_id, "");
}

}  // namespace
}  // namespace pillivery::payment
