#include "storage/stock_ledger.hpp"

#include "storage/row_reader.hpp"
#include "storage/sql_builder.hpp"

#include <utility>
#include <vector>

namespace pillivery::storage {

namespace {

enum class Move { kReserve, kGiveBack };

// "CASE id WHEN <id> THEN <quantity> … END", one branch per item.
void QuantityById(SqlBuilder& sql, const std::map<std::int64_t, long long>& quantity_of_item) {
  sql << "CASE id";
  for (const auto& [item, quantity] : quantity_of_item) {
    sql << " WHEN ";
    sql.Value(item) << " THEN ";
    sql.Value(quantity);
  }
  sql << " END";
}

bool MoveAll(soci::session& s, Dialect dialect, const std::map<std::int64_t, long long>& quantity_of_item, Move move) {
  if (quantity_of_item.empty()) return true;
  SqlBuilder sql(dialect);
  sql << (move == Move::kReserve ? "UPDATE items SET stock = stock - " : "UPDATE items SET stock = stock + ");
  QuantityById(sql, quantity_of_item);
  sql << " WHERE id IN (";
  sql.List(quantity_of_item, [](const auto& entry) { return SqlParam(entry.first); }) << ")";
  if (move == Move::kReserve) {
    sql << " AND stock >= ";
    QuantityById(sql, quantity_of_item);
  }
  return StatementCache::ExecuteOnce(s, sql.Sql(), sql.Params()) == static_cast<long long>(quantity_of_item.size());
}

}  // namespace

bool StockLedger::Reserve(soci::session& s, std::int64_t item_id, std::int64_t quantity) {
  long long id = item_id, q = quantity;
  soci::statement reserve = (s.prepare << "UPDATE items SET stock = stock - :q WHERE id = :id AND stock >= :q2",
                             soci::use(q), soci::use(id), soci::use(q));
  reserve.execute(true);
  return reserve.get_affected_rows() > 0;
}

void StockLedger::GiveBack(soci::session& s, std::int64_t item_id, std::int64_t quantity) {
  db_.Execute(s, "UPDATE items SET stock = stock + :q WHERE id = :i", {quantity, item_id});
}

void StockLedger::GiveBackOrder(soci::session& s, std::int64_t order_id) {
  long long order = order_id;
  soci::rowset<soci::row> lines = (s.prepare << "SELECT item_id, quantity FROM order_lines WHERE order_id = :o "
                                                "ORDER BY item_id",
                                   soci::use(order));
  std::vector<std::pair<long long, long long>> give_back;
  for (const auto& r : lines) give_back.emplace_back(GetInt64(r, 0), GetInt64(r, 1));
  for (auto& [item, quantity] : give_back)
    s << "UPDATE items SET stock = stock + :q WHERE id = :i", soci::use(quantity), soci::use(item);
}

bool StockLedger::ReserveAll(soci::session& s, Dialect dialect,
                             const std::map<std::int64_t, long long>& quantity_of_item) {
  return MoveAll(s, dialect, quantity_of_item, Move::kReserve);
}

void StockLedger::GiveBackAll(soci::session& s, Dialect dialect,
                              const std::map<std::int64_t, long long>& quantity_of_item) {
  MoveAll(s, dialect, quantity_of_item, Move::kGiveBack);
}

void StockLedger::Set(soci::session& s, std::int64_t item_id, std::int64_t stock) {
  long long id = item_id, count = stock;
  s << "UPDATE items SET stock = :s WHERE id = :id", soci::use(count), soci::use(id);
}

void StockLedger::SetAll(soci::session& s, Dialect dialect, const std::map<std::int64_t, long long>& stock_of_item) {
  constexpr std::size_t kPerStatement = 500;
  auto from = stock_of_item.begin();
  while (from != stock_of_item.end()) {
    std::map<std::int64_t, long long> chunk;
    for (; from != stock_of_item.end() && chunk.size() < kPerStatement; ++from) chunk.insert(*from);
    SqlBuilder sql(dialect);
    sql << "UPDATE items SET stock = ";
    QuantityById(sql, chunk);
    sql << " WHERE id IN (";
    sql.List(chunk, [](const auto& entry) { return SqlParam(entry.first); }) << ")";
    StatementCache::ExecuteOnce(s, sql.Sql(), sql.Params());
  }
}

}  // namespace pillivery::storage
