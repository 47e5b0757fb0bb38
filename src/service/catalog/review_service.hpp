#pragma once
// Reviews by purchasers; item statistics stay exact through create, edit and delete.
#include "domain/review.hpp"
#include "infra/clock.hpp"
#include "storage/item_repository.hpp"
#include "storage/review_repository.hpp"

#include <functional>

namespace pillivery::service {

class ReviewService {
 public:
  // on_change(item_id): the item's cached views are stale (review statistics changed).
  ReviewService(storage::ReviewRepository& reviews, storage::ItemRepository& items, const infra::Clock& clock,
                std::function<void(std::int64_t)> on_change = {})
      : reviews_(reviews), items_(items), clock_(clock), on_change_(std::move(on_change)) {}

  domain::Review Create(std::int64_t user_id, std::int64_t item_id, std::optional<int> star,
                        const std::optional<std::string>& content);
  domain::Review Update(std::int64_t user_id, std::int64_t review_id, std::optional<int> star,
                        const std::optional<std::string>& content);
  void Delete(std::int64_t user_id, std::int64_t review_id);
  storage::ReviewPage List(std::int64_t item_id, domain::ReviewSort sort, const domain::PageRequest& page);

 private:
  void Changed(std::int64_t item_id) {
    if (on_change_) on_change_(item_id);
  }
  storage::ReviewRepository& reviews_;
  storage::ItemRepository& items_;
  const infra::Clock& clock_;
  std::function<void(std::int64_t)> on_change_;
};

}  // namespace pillivery::service
