#include "storage/statement_cache.hpp"

#include "storage/mariadb_statement.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <deque>
#include <stdexcept>

namespace pillivery::storage {

namespace {

// Storage a use() element points at: it must not move while the statement lives.
struct Slot {
  SqlParam::Kind kind = SqlParam::Kind::kNull;
  long long int_value = 0;
  double double_value = 0;
  std::string text;
  soci::indicator indicator = soci::i_ok;
};

// The kinds of the parameters are part of the key: a statement bound to an
// integer cannot take a text, and NULL binds as its own kind.
std::string KeyOf(const std::string& sql, SqlParams params) {
  std::string key;
  key.reserve(sql.size() + params.size() + 1);
  key += sql;
  key += '\0';
  for (const auto& p : params) key += static_cast<char>(p.GetKind());
  return key;
}

}  // namespace

struct StatementCache::Entry {
  // MariaDB: prepared on the server and run through the binary protocol.
  // Otherwise (SQLite, one-off statements, statements MariaDB cannot prepare): SOCI.
  std::unique_ptr<MariaDbStatement> native;
  std::deque<Slot> slots;  // a deque: binding by address, and never resized after
  soci::row row;
  std::optional<soci::statement> statement;
  bool rows = false;
  bool sqlite = false;
};

StatementCache::StatementCache(soci::session& session, std::size_t capacity, bool server_prepare)
    : session_(session), capacity_(capacity), server_prepare_(server_prepare) {}

StatementCache::~StatementCache() = default;

void StatementCache::Clear() { entries_.clear(); }

std::unique_ptr<StatementCache::Entry> StatementCache::Prepare(soci::session& session, const std::string& sql,
                                                               SqlParams params, bool rows, bool server_prepare) {
  auto entry = std::make_unique<Entry>();
  entry->rows = rows;
  entry->sqlite = session.get_backend_name() == "sqlite3";
  // A statement kept for reuse is worth a server-side prepare on MariaDB (one
  // extra round trip, once); a one-off is cheaper sent once as text.
  if (server_prepare && !entry->sqlite && session.get_backend_name() == "mysql") {
    PositionalSql positional = ToPositional(sql);
    if (positional.placeholders == params.size()) {
      auto* connection = static_cast<soci::mysql_session_backend*>(session.get_backend())->conn_;
      entry->native = MariaDbStatement::Prepare(connection, positional.text, params.size());
      if (entry->native) return entry;
    }
  }
  auto prep = session.prepare << sql;
  for (const auto& p : params) {
    Slot& slot = entry->slots.emplace_back();
    slot.kind = p.GetKind();
    switch (slot.kind) {
      case SqlParam::Kind::kInt:
        prep, soci::use(slot.int_value, slot.indicator);
        break;
      case SqlParam::Kind::kDouble:
        prep, soci::use(slot.double_value, slot.indicator);
        break;
      case SqlParam::Kind::kText:
        prep, soci::use(slot.text, slot.indicator);
        break;
      case SqlParam::Kind::kNull:
        slot.indicator = soci::i_null;
        prep, soci::use(slot.int_value, slot.indicator);
        break;
    }
  }
  if (rows) prep, soci::into(entry->row);
  entry->statement.emplace(prep);
  return entry;
}

void StatementCache::Run(Entry& entry, SqlParams params, const RowHandler* on_row) {
  if (entry.native) return entry.native->Run(params, on_row);
  auto slot = entry.slots.begin();
  for (const auto& p : params) {
    switch (p.GetKind()) {
      case SqlParam::Kind::kInt:
        slot->int_value = p.Int();
        break;
      case SqlParam::Kind::kDouble:
        slot->double_value = p.Double();
        break;
      case SqlParam::Kind::kText:
        slot->text.assign(p.Text());
        break;
      case SqlParam::Kind::kNull:
        break;
    }
    ++slot;
  }
  soci::statement& st = *entry.statement;
  // A SQLite statement that has not run to its end keeps a read transaction
  // (and its snapshot) open on the connection: reset it whatever happens.
  struct ResetOnExit {
    Entry& entry;
    ~ResetOnExit() {
      if (!entry.sqlite) return;
      auto* backend = static_cast<soci::sqlite3_statement_backend*>(entry.statement->get_backend());
      if (backend && backend->stmt_) sqlite_api::sqlite3_reset(backend->stmt_);
    }
  } reset{entry};
  if (!entry.rows) {
    st.execute(true);
    return;
  }
  for (bool got = st.execute(true); got; got = st.fetch()) (*on_row)(entry.row);
}

StatementCache::Entry& StatementCache::Find(const std::string& sql, SqlParams params, bool rows) {
  std::string key = KeyOf(sql, params);
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    if (found->second->rows != rows) throw std::logic_error("statement cached both as a query and as an update");
    return *found->second;
  }
  if (entries_.size() >= capacity_) entries_.clear();  // rare: the hot set is a few dozen statements
  return *entries_.emplace(std::move(key), Prepare(session_, sql, params, rows, server_prepare_)).first->second;
}

void StatementCache::Query(const std::string& sql, SqlParams params, const RowHandler& on_row) {
  try {
    try {
      Run(Find(sql, params, true), params, &on_row);
    } catch (const MariaDbStatement::ShapeChanged&) {
      // A migration changed the columns under the statement: prepare it again,
      // once (no row was handed out yet).
      entries_.erase(KeyOf(sql, params));
      Run(Find(sql, params, true), params, &on_row);
    }
  } catch (const MariaDbStatement::ShapeChanged&) {
    entries_.erase(KeyOf(sql, params));
    throw soci::soci_error("the columns of a prepared statement changed twice in a row: " + sql);
  } catch (...) {
    // A statement that failed is not trusted again (its connection may have
    // been reset under it); the next call prepares it afresh.
    entries_.erase(KeyOf(sql, params));
    throw;
  }
}

long long StatementCache::Execute(const std::string& sql, SqlParams params) {
  try {
    Entry& entry = Find(sql, params, false);
    Run(entry, params, nullptr);
    return entry.native ? entry.native->AffectedRows() : entry.statement->get_affected_rows();
  } catch (...) {
    entries_.erase(KeyOf(sql, params));
    throw;
  }
}

void StatementCache::QueryOnce(soci::session& session, const std::string& sql, SqlParams params,
                               const RowHandler& on_row) {
  auto entry = Prepare(session, sql, params, true, false);
  Run(*entry, params, &on_row);
}

long long StatementCache::ExecuteOnce(soci::session& session, const std::string& sql, SqlParams params) {
  auto entry = Prepare(session, sql, params, false, false);
  Run(*entry, params, nullptr);
  return entry->statement->get_affected_rows();
}

}  // namespace pillivery::storage
