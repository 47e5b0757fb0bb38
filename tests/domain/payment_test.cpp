#include "domain/payment.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

// Each state reads back from the text its row stores (and the API shows).
TEST(PaymentStatusCodes, RoundTripThroughTheirColumnText) {
  for (auto s : {PaymentStatus::kReady, PaymentStatus::kApproved, PaymentStatus::kCancelled, PaymentStatus::kFailed})
    EXPECT_EQ(ParsePaymentStatus(CodeOf(s)), s) << CodeOf(s);
  EXPECT_EQ(CodeOf(PaymentStatus::kReady), "READY");
  EXPECT_EQ(CodeOf(PaymentStatus::kApproved), "APPROVED");
  EXPECT_EQ(CodeOf(PaymentStatus::kCancelled), "CANCELLED");
  EXPECT_EQ(CodeOf(PaymentStatus::kFailed), "FAILED");
  EXPECT_FALSE(ParsePaymentStatus("ready"));
  EXPECT_FALSE(ParsePaymentStatus(""));
}

TEST(PaymentMethodStatusCodes, RoundTripThroughTheirColumnText) {
  for (auto s : {PaymentMethodStatus::kActive, PaymentMethodStatus::kInactive})
    EXPECT_EQ(ParsePaymentMethodStatus(CodeOf(s)), s) << CodeOf(s);
  EXPECT_EQ(CodeOf(PaymentMethodStatus::kActive), "ACTIVE");
  EXPECT_EQ(CodeOf(PaymentMethodStatus::kInactive), "INACTIVE");
  EXPECT_FALSE(ParsePaymentMethodStatus("active"));
  EXPECT_FALSE(ParsePaymentMethodStatus("PAUSED"));
}

}  // namespace
}  // namespace pillivery::domain
