#pragma once
// Reviews and the exact review statistics of their items.
#include "domain/item_query.hpp"
#include "domain/review.hpp"
#include "storage/database.hpp"

#include <optional>
#include <vector>

namespace pillivery::storage {

struct ReviewPage {
  std::vector<domain::Review> reviews;
  std::int64_t total = 0;
};

class ReviewRepository {
 public:
  explicit ReviewRepository(Database& db) : db_(db) {}

  // Every order line of this user and item, oldest first, with its order's
  // status and whether it was reviewed: what domain::DecideReviewRight reads.
  std::vector<domain::Purchase> Purchases(std::int64_t user_id, std::int64_t item_id);
  // Inserts the review and adds it to the item's statistics in one transaction.
  // Throws ALREADY_REVIEWED (409) if the line was reviewed concurrently.
  domain::Review Create(std::int64_t user_id, std::int64_t item_id, std::int64_t order_line_id, int star,
                        const std::string& content, const std::string& now);
  std::optional<domain::Review> Find(std::int64_t id);  // not deleted
  // Both return false when the review is missing, deleted or not the user's.
  bool Update(std::int64_t id, std::int64_t user_id, std::optional<int> star, const std::optional<std::string>& content,
              const std::string& now);
  bool SoftDelete(std::int64_t id, std::int64_t user_id, const std::string& now);
  ReviewPage ListForItem(std::int64_t item_id, domain::ReviewSort sort, const domain::PageRequest& page);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
