// The item counters that several servers add to at once (views) or that the
// outbox adds in its unit of work (sales): always additive, never a catalog version.
#include "storage/item_repository.hpp"
#include "storage/sql_builder.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::storage {

void ItemRepository::AddViews(const std::vector<std::pair<std::int64_t, std::int64_t>>& deltas) {
  if (deltas.empty()) return;
  auto lease = db_.Acquire();
  soci::session& session = *lease;
  Transaction tx(session, db_.GetDialect());
  long long id = 0, delta = 0;
  soci::statement st =
      (session.prepare << "UPDATE items SET views = views + :d WHERE id = :id", soci::use(delta), soci::use(id));
  for (const auto& [item, added] : deltas) {
    id = item;
    delta = added;
    st.execute(true);
  }
  tx.Commit();
}

void ItemRepository::AddSales(UnitOfWork& work, const std::map<std::int64_t, std::int64_t>& sold_by_item) {
  if (sold_by_item.empty()) return;
  SqlBuilder sql(work.GetDialect());
  sql << "UPDATE items SET sales = sales + CASE id";
  for (const auto& [item, quantity] : sold_by_item) {
    sql << " WHEN ";
    sql.Value(item) << " THEN ";
    sql.Value(quantity);
  }
  sql << " END WHERE id IN (";
  sql.List(sold_by_item, [](const auto& entry) { return SqlParam(entry.first); }) << ")";
  StatementCache::ExecuteOnce(SessionOf(work), sql.Sql(), sql.Params());
}

}  // namespace pillivery::storage
