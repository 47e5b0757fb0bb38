#pragma once
// The two carts of each user, kept in the database so every server process
// sees the same cart. Lines are priced from the current catalog on every read.
#include "domain/order.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <optional>
#include <vector>

namespace pillivery::storage {

class CartRepository {
 public:
  // `clock` stamps created_at/updated_at (real time, not the business clock).
  CartRepository(Database& db, const infra::Clock& clock) : db_(db), clock_(clock) {}

  // Current lines with current prices (an item hidden since it was added shows as not in stock).
  std::vector<domain::PricedLine> Lines(std::int64_t user_id, domain::CartKind kind);
  // Adds quantity to the line (capped at 99) or creates it; period replaces the old one.
  void AddLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id, int quantity,
               std::optional<int> period);
  // False when the cart has no such line.
  bool UpdateLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id, std::optional<int> quantity,
                  std::optional<int> period);
  bool RemoveLine(std::int64_t user_id, domain::CartKind kind, std::int64_t item_id);
  // Removes the given items from the cart (after checkout), in the caller's
  // unit of work (the outbox's cart clean-up); idempotent.
  static void RemoveItems(UnitOfWork& work, std::int64_t user_id, domain::CartKind kind,
                          const std::vector<std::int64_t>& item_ids);

 private:
  std::int64_t EnsureCart(soci::session& session, std::int64_t user_id, domain::CartKind kind);
  std::string Now() const { return infra::FormatIsoTime(clock_.Now()); }
  Database& db_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::storage
