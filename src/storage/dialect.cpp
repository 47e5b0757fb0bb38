#include "storage/dialect.hpp"

#include <soci/soci.h>

namespace pillivery::storage {
namespace {
void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}
}  // namespace

std::string RenderSchema(Dialect dialect, std::string sql) {
  bool maria = dialect == Dialect::kMariaDb;
  ReplaceAll(sql, "{{PK}}", maria ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  ReplaceAll(sql, "{{TEXT}}", maria ? "MEDIUMTEXT" : "TEXT");
  ReplaceAll(sql, "{{STR}}", maria ? "VARCHAR(255)" : "TEXT");
  ReplaceAll(sql, "{{TABLE}}", maria ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "");
  // "DROP INDEX ix{{ON t}}": MariaDB names the table, SQLite must not.
  for (std::size_t pos; (pos = sql.find("{{ON ")) != std::string::npos;) {
    auto close = sql.find("}}", pos);
    if (close == std::string::npos) break;
    std::string table = sql.substr(pos + 5, close - pos - 5);
    sql.replace(pos, close + 2 - pos, maria ? " ON " + table : "");
  }
  return sql;
}

const char* ForUpdateSkipLocked(Dialect dialect) {
  return dialect == Dialect::kMariaDb ? " FOR UPDATE SKIP LOCKED" : "";
}
const char* ForUpdate(Dialect dialect) { return dialect == Dialect::kMariaDb ? " FOR UPDATE" : ""; }

std::string UpsertClause(Dialect dialect, const std::string& conflict_columns) {
  return dialect == Dialect::kMariaDb ? " ON DUPLICATE KEY UPDATE "
                                      : " ON CONFLICT(" + conflict_columns + ") DO UPDATE SET ";
}
std::string ExcludedValue(Dialect dialect, const std::string& column) {
  return dialect == Dialect::kMariaDb ? "VALUES(" + column + ")" : "excluded." + column;
}
const char* InsertIgnore(Dialect dialect) {
  return dialect == Dialect::kMariaDb ? "INSERT IGNORE" : "INSERT OR IGNORE";
}

Dialect DialectOf(soci::session& session) {
  return session.get_backend_name() == "sqlite3" ? Dialect::kSqlite : Dialect::kMariaDb;
}

std::int64_t LastInsertId(soci::session& session, Dialect dialect) {
  long long id = 0;
  // Client-side on both engines (mysql_insert_id, sqlite3_last_insert_rowid):
  // no statement goes to the server. Call it right after the INSERT.
  if (session.get_last_insert_id("", id)) return id;
  if (dialect == Dialect::kMariaDb)
    session << "SELECT LAST_INSERT_ID()", soci::into(id);
  else
    session << "SELECT last_insert_rowid()", soci::into(id);
  return id;
}

}  // namespace pillivery::storage
