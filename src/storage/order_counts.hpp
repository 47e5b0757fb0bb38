#pragma once
// How many orders each account has (table user_order_counts): the total a page
// of the account's own orders shows, read from one row. Counting instead walked
// the account's index entries (about 1,000 per account in bench/orders) and cost
// MariaDB about 150 µs of a page's ~600.
//
// Every statement that inserts orders adds to the count in the same
// transaction, as its last write: a transaction holding a count row waits for
// no other row but counts, which it takes in account order, so the counts add
// no lock cycle to checkout or billing.
#include "storage/dialect.hpp"

#include <soci/soci.h>

#include <cstdint>
#include <span>

namespace pillivery::storage {

class OrderCounts {
 public:
  // One order inserted for each entry of user_ids (an account may repeat).
  static void Add(soci::session& s, Dialect dialect, std::span<const std::int64_t> user_ids);
  // Counts every account's orders afresh (after a bulk load that inserted orders itself).
  static void Recount(soci::session& s);
  // The statement that reads one account's count (its one value; no row: 0).
  static constexpr const char* kSelectOne = "SELECT orders FROM user_order_counts WHERE user_id = :u";
};

}  // namespace pillivery::storage
