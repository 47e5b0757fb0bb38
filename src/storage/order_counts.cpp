#include "storage/order_counts.hpp"

#include "storage/sql_builder.hpp"

#include <map>

namespace pillivery::storage {

void OrderCounts::Add(soci::session& s, Dialect dialect, std::span<const std::int64_t> user_ids) {
  if (user_ids.empty()) return;
  std::map<std::int64_t, std::int64_t> added;  // by account, in account order
  for (std::int64_t user : user_ids) ++added[user];
  SqlBuilder sql(dialect);
  sql << "INSERT INTO user_order_counts(user_id, orders) VALUES ";
  bool first = true;
  for (const auto& [user, orders] : added) {
    sql << (first ? "" : ", ");
    first = false;
    sql.Row({user, orders});
  }
  sql << UpsertClause(dialect, "user_id") << "orders = orders + " << ExcludedValue(dialect, "orders");
  StatementCache::ExecuteOnce(s, sql.Sql(), sql.Params());
}

void OrderCounts::Recount(soci::session& s) {
  s << "DELETE FROM user_order_counts";
  s << "INSERT INTO user_order_counts(user_id, orders) SELECT user_id, COUNT(*) FROM orders GROUP BY user_id";
}

}  // namespace pillivery::storage
