#include "service/catalog/review_service.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;

namespace {
Error ReviewNotFound(std::int64_t id) {
  return Error(ErrorCode::kReviewNotFound, "No review with id " + std::to_string(id) + ".");
}
}  // namespace

domain::Review ReviewService::Create(std::int64_t user_id, std::int64_t item_id, std::optional<int> star,
                                     const std::optional<std::string>& content) {
  domain::Validator v;
  domain::ValidateReview(star, content, false, v);
  v.ThrowIfAny();
  if (!items_.FindById(item_id, true))
    throw Error(ErrorCode::kItemNotFound, "No item with id " + std::to_string(item_id) + ".");
  auto right = domain::DecideReviewRight(reviews_.Purchases(user_id, item_id));
  if (right.eligibility == domain::ReviewEligibility::kNotPurchased)
    throw Error(ErrorCode::kNotAPurchaser, "Only a customer who bought this item may review it.");
  if (right.eligibility == domain::ReviewEligibility::kAlreadyReviewed)
    throw Error(ErrorCode::kAlreadyReviewed, "Every purchase of this item has been reviewed already.");
  auto review =
      reviews_.Create(user_id, item_id, right.order_line_id, *star, *content, infra::FormatIsoTime(clock_.Now()));
  Changed(item_id);
  return review;
}

domain::Review ReviewService::Update(std::int64_t user_id, std::int64_t review_id, std::optional<int> star,
                                     const std::optional<std::string>& content) {
  domain::Validator v;
  domain::ValidateReview(star, content, true, v);
  v.ThrowIfAny();
  if (!reviews_.Update(review_id, user_id, star, content, infra::FormatIsoTime(clock_.Now())))
    throw ReviewNotFound(review_id);
  auto review = *reviews_.Find(review_id);
  Changed(review.item_id);
  return review;
}

void ReviewService::Delete(std::int64_t user_id, std::int64_t review_id) {
  auto review = reviews_.Find(review_id);
  if (!review || review->user_id != user_id ||
      !reviews_.SoftDelete(review_id, user_id, infra::FormatIsoTime(clock_.Now())))
    throw ReviewNotFound(review_id);
  Changed(review->item_id);
}

storage::ReviewPage ReviewService::List(std::int64_t item_id, domain::ReviewSort sort,
                                        const domain::PageRequest& page) {
  if (!items_.FindById(item_id))
    throw Error(ErrorCode::kItemNotFound, "No item with id " + std::to_string(item_id) + ".");
  return reviews_.ListForItem(item_id, sort, page);
}

}  // namespace pillivery::service
