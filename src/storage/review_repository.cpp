#include "storage/review_repository.hpp"

#include "domain/error.hpp"
#include "storage/row_reader.hpp"

namespace pillivery::storage {

namespace {

constexpr const char* kColumns = "id, item_id, user_id, order_line_id, author, star, content, created_at, updated_at";

domain::Review ReadReview(const soci::row& r) {
  domain::Review review;
  review.id = GetInt64(r, 0);
  review.item_id = GetInt64(r, 1);
  review.user_id = GetInt64(r, 2);
  review.order_line_id = GetInt64(r, 3);
  review.author = GetString(r, 4);
  review.star = static_cast<int>(GetInt64(r, 5));
  review.content = GetString(r, 6);
  review.created_at = GetString(r, 7);
  review.updated_at = GetString(r, 8);
  return review;
}

// Adds (count_delta, star_delta) to the item's statistics and recomputes the
// mean from the stored integers, so the average is exact whatever the order
// of concurrent changes. Two statements: MariaDB evaluates SET left to right.
void AdjustStatistics(soci::session& s, long long item_id, long long count_delta, long long star_delta) {
  s << "UPDATE items SET review_count = review_count + :c, star_sum = star_sum + :s WHERE id = :i",
      soci::use(count_delta), soci::use(star_delta), soci::use(item_id);
  s << "UPDATE items SET star_avg = CASE WHEN review_count = 0 THEN 0 ELSE star_sum * 1.0 / review_count END "
       "WHERE id = :i",
      soci::use(item_id);
}

std::optional<domain::Review> FindIn(soci::session& s, std::int64_t id);

}  // namespace

std::vector<domain::Purchase> ReviewRepository::Purchases(std::int64_t user_id, std::int64_t item_id) {
  auto lease = db_.Acquire();
  long long uid = user_id, iid = item_id;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT ol.id, o.status, r.id FROM order_lines ol JOIN orders o ON o.id = ol.order_id "
                         "LEFT JOIN reviews r ON r.order_line_id = ol.id "
                         "WHERE o.user_id = :u AND ol.item_id = :i ORDER BY ol.id",
       soci::use(uid), soci::use(iid));
  std::vector<domain::Purchase> purchases;
  for (const auto& r : rows) {
    auto status = domain::ParseOrderStatus(GetString(r, 1)).value_or(domain::OrderStatus::kPendingPayment);
    purchases.push_back({GetInt64(r, 0), status, r.get_indicator(2) != soci::i_null});
  }
  return purchases;
}

domain::Review ReviewRepository::Create(std::int64_t user_id, std::int64_t item_id, std::int64_t order_line_id,
                                        int star, const std::string& content, const std::string& now) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long uid = user_id, iid = item_id, line = order_line_id, stars = star;
  try {
    s << "INSERT INTO reviews(item_id, user_id, order_line_id, author, star, content, created_at, updated_at) "
         "VALUES(:i, :u, :l, COALESCE((SELECT display_name FROM users WHERE id = :u2), ''), :s, :c, :t, :t2)",
        soci::use(iid), soci::use(uid), soci::use(line), soci::use(uid), soci::use(star), soci::use(content),
        soci::use(now), soci::use(now);
  } catch (const soci::soci_error&) {
    // Only the unique order-line index can reject this insert: it was reviewed concurrently.
    throw domain::Error(domain::ErrorCode::kAlreadyReviewed, "This purchase has already been reviewed.");
  }
  std::int64_t id = LastInsertId(s, db_.GetDialect());
  AdjustStatistics(s, iid, 1, stars);
  tx.Commit();
  return *FindIn(s, id);
}

// Reads through the caller's session: a repository never leases a second
// connection while holding one (that deadlocks a full pool).
namespace {
std::optional<domain::Review> FindIn(soci::session& s, std::int64_t id) {
  long long key = id;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns + " FROM reviews WHERE id = :id AND deleted = 0", soci::use(key));
  for (const auto& r : rows) return ReadReview(r);
  return std::nullopt;
}
}  // namespace

std::optional<domain::Review> ReviewRepository::Find(std::int64_t id) {
  auto lease = db_.Acquire();
  return FindIn(*lease, id);
}

bool ReviewRepository::Update(std::int64_t id, std::int64_t user_id, std::optional<int> star,
                              const std::optional<std::string>& content, const std::string& now) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long key = id, uid = user_id, item = 0, old_star = 0;
  s << std::string("SELECT item_id, star FROM reviews WHERE id = :id AND user_id = :u AND deleted = 0") +
           ForUpdate(db_.GetDialect()),
      soci::use(key), soci::use(uid), soci::into(item), soci::into(old_star);
  if (!s.got_data()) return false;
  if (star) {
    int new_star = *star;
    s << "UPDATE reviews SET star = :s WHERE id = :id", soci::use(new_star), soci::use(key);
    AdjustStatistics(s, item, 0, new_star - old_star);
  }
  if (content) s << "UPDATE reviews SET content = :c WHERE id = :id", soci::use(*content), soci::use(key);
  s << "UPDATE reviews SET updated_at = :t WHERE id = :id", soci::use(now), soci::use(key);
  tx.Commit();
  return true;
}

bool ReviewRepository::SoftDelete(std::int64_t id, std::int64_t user_id, const std::string& now) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long key = id, uid = user_id, item = 0, star = 0;
  s << std::string("SELECT item_id, star FROM reviews WHERE id = :id AND user_id = :u AND deleted = 0") +
           ForUpdate(db_.GetDialect()),
      soci::use(key), soci::use(uid), soci::into(item), soci::into(star);
  if (!s.got_data()) return false;
  s << "UPDATE reviews SET deleted = 1, updated_at = :t WHERE id = :id", soci::use(now), soci::use(key);
  AdjustStatistics(s, item, -1, -star);
  tx.Commit();
  return true;
}

ReviewPage ReviewRepository::ListForItem(std::int64_t item_id, domain::ReviewSort sort,
                                         const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  long long iid = item_id, limit = page.size, offset = page.Offset();
  ReviewPage result;
  long long total = 0;
  *lease << "SELECT COUNT(*) FROM reviews WHERE item_id = :i AND deleted = 0", soci::use(iid), soci::into(total);
  result.total = total;
  const char* order = "id DESC";
  switch (sort) {
    case domain::ReviewSort::kNewest:
      order = "id DESC";
      break;
    case domain::ReviewSort::kOldest:
      order = "id ASC";
      break;
    case domain::ReviewSort::kStarDesc:
      order = "star DESC, id DESC";
      break;
    case domain::ReviewSort::kStarAsc:
      order = "star ASC, id ASC";
      break;
  }
  soci::rowset<soci::row> rows = (lease->prepare << std::string("SELECT ") + kColumns +
                                                        " FROM reviews WHERE item_id = :i AND deleted = 0 ORDER BY " +
                                                        order + " LIMIT :l OFFSET :o",
                                  soci::use(iid), soci::use(limit), soci::use(offset));
  for (const auto& r : rows) result.reviews.push_back(ReadReview(r));
  return result;
}

}  // namespace pillivery::storage
