#pragma once
// The one owner of `items.stock`: every statement that moves stock is here —
// checkout, cancel and expiry of unpaid orders, a full refund before shipping,
// a renewal's claim and its release, the admin's edit and the seeder's pricing.
// Each runs in the caller's transaction, so a move commits or rolls back with
// the change that caused it. What a move should be is decided by the caller
// (with domain rules); the ledger keeps only the atomic guard `stock >= q`.
#include "storage/database.hpp"

#include <cstdint>
#include <map>

namespace pillivery::storage {

class StockLedger {
 public:
  explicit StockLedger(Database& db) : db_(db) {}

  // Takes `quantity` of the item only while at least that much is left (the
  // atomic guard); false when it is short (nothing taken).
  static bool Reserve(soci::session& s, std::int64_t item_id, std::int64_t quantity);
  // Gives `quantity` of the item back.
  void GiveBack(soci::session& s, std::int64_t item_id, std::int64_t quantity);
  // Gives an order's reserved lines back, in item-id order like checkout (a
  // cancelled or expired unpaid order, a PAID order refunded in full before it shipped).
  static void GiveBackOrder(soci::session& s, std::int64_t order_id);

  // Several items in one statement (a billing group), quantities by item id: a
  // reservation takes only where enough is left of each; true when every
  // item's row changed (else the caller rolls back).
  static bool ReserveAll(soci::session& s, Dialect dialect, const std::map<std::int64_t, long long>& quantity_of_item);
  static void GiveBackAll(soci::session& s, Dialect dialect, const std::map<std::int64_t, long long>& quantity_of_item);

  // Sets the count outright: an admin's edit, and the seeder pricing imported
  // items (stock by item id, a few hundred per statement).
  static void Set(soci::session& s, std::int64_t item_id, std::int64_t stock);
  static void SetAll(soci::session& s, Dialect dialect, const std::map<std::int64_t, long long>& stock_of_item);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
