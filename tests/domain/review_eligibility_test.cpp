#include "domain/review.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

TEST(DecideReviewRight_WithoutAPaidPurchase, IsNotAPurchaser) {
  EXPECT_EQ(DecideReviewRight({}).eligibility, ReviewEligibility::kNotPurchased);
  // Unpaid, cancelled and refunded orders are not purchases.
  auto right = DecideReviewRight({{1, OrderStatus::kPendingPayment, false},
                                  {2, OrderStatus::kCancelled, false},
                                  {3, OrderStatus::kRefunded, false}});
  EXPECT_EQ(right.eligibility, ReviewEligibility::kNotPurchased);
  EXPECT_EQ(right.order_line_id, 0);
}

TEST(DecideReviewRight_WithPaidPurchases, ReviewsTheOldestUnreviewedLine) {
  for (auto status : {OrderStatus::kPaid, OrderStatus::kShipped, OrderStatus::kDelivered}) {
    auto right = DecideReviewRight(
        {{1, OrderStatus::kCancelled, false}, {2, status, true}, {3, status, false}, {4, status, false}});
    EXPECT_EQ(right.eligibility, ReviewEligibility::kEligible);
    EXPECT_EQ(right.order_line_id, 3);
  }
}

TEST(DecideReviewRight_WhenEveryPaidPurchaseIsReviewed, IsAlreadyReviewed) {
  auto right = DecideReviewRight({{1, OrderStatus::kPaid, true}, {2, OrderStatus::kPendingPayment, false}});
  EXPECT_EQ(right.eligibility, ReviewEligibility::kAlreadyReviewed);
}

}  // namespace
}  // namespace pillivery::domain
