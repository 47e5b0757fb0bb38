#pragma once
// Reviews: only purchasers, once per order line; star 1–5, content 1–1000 characters.
#include "domain/error.hpp"
#include "domain/order.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::domain {

enum class ReviewSort { kNewest, kOldest, kStarDesc, kStarAsc };
std::optional<ReviewSort> ParseReviewSort(std::string_view code);

struct Review {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
  std::int64_t user_id = 0;
  std::int64_t order_line_id = 0;
  std::string author;  // display name
  int star = 0;
  std::string content;
  std::string created_at;
  std::string updated_at;
};

// One purchase of an item by a customer: an order line, its order's status,
// and whether a review was ever written for it (a deleted one included).
struct Purchase {
  std::int64_t order_line_id = 0;
  OrderStatus order_status = OrderStatus::kPendingPayment;
  bool reviewed = false;
};
enum class ReviewEligibility { kEligible, kNotPurchased, kAlreadyReviewed };
struct ReviewRight {
  ReviewEligibility eligibility = ReviewEligibility::kNotPurchased;
  std::int64_t order_line_id = 0;  // the line to review, when eligible
};
// A paid purchase (PAID, SHIPPED or DELIVERED: not unpaid, cancelled or
// refunded) counts; each may be reviewed once. `purchases` oldest line first:
// the oldest unreviewed one is the line to review.
bool CountsAsPurchase(OrderStatus status);
ReviewRight DecideReviewRight(const std::vector<Purchase>& purchases);

inline constexpr int kMaxReviewChars = 1000;
// Adds field errors for star and content.
void ValidateReview(std::optional<int> star, const std::optional<std::string>& content, bool partial, Validator& v);

}  // namespace pillivery::domain
