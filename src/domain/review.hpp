#pragma once
// Reviews: only purchasers, once per order line; star 1–5, content 1–1000 characters.
#include "domain/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

inline constexpr int kMaxReviewChars = 1000;
// Adds field errors for star and content.
void ValidateReview(std::optional<int> star, const std::optional<std::string>& content, bool partial, Validator& v);

}  // namespace pillivery::domain
