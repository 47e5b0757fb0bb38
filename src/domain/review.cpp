#include "domain/review.hpp"

namespace pillivery::domain {

std::optional<ReviewSort> ParseReviewSort(std::string_view code) {
  if (code == "NEWEST") return ReviewSort::kNewest;
  if (code == "OLDEST") return ReviewSort::kOldest;
  if (code == "STAR_DESC") return ReviewSort::kStarDesc;
  if (code == "STAR_ASC") return ReviewSort::kStarAsc;
  return std::nullopt;
}

void ValidateReview(std::optional<int> star, const std::optional<std::string>& content, bool partial, Validator& v) {
  if (star || !partial) v.Check(star && *star >= 1 && *star <= 5, "star", "must be an integer from 1 to 5");
  if (content || !partial) {
    size_t chars = 0;
    bool blank = true;
    if (content) {
      for (unsigned char c : *content) {
        chars += (c & 0xC0) != 0x80;
        blank = blank && (c == ' ' || c == '\n' || c == '\t' || c == '\r');
      }
    }
    v.Check(content && !blank && chars <= kMaxReviewChars, "content", "must be 1 to 1000 characters");
  }
  if (partial && !star && !content) v.Add("star", "give star and/or content");
}

bool CountsAsPurchase(OrderStatus status) {
  return status == OrderStatus::kPaid || status == OrderStatus::kShipped || status == OrderStatus::kDelivered;
}

ReviewRight DecideReviewRight(const std::vector<Purchase>& purchases) {
  bool purchased = false;
  for (const auto& p : purchases) {
    if (!CountsAsPurchase(p.order_status)) continue;
    purchased = true;
    if (!p.reviewed) return {ReviewEligibility::kEligible, p.order_line_id};
  }
  return {purchased ? ReviewEligibility::kAlreadyReviewed : ReviewEligibility::kNotPurchased, 0};
}

}  // namespace pillivery::domain
