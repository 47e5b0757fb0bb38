#pragma once
// The small seam between SQLite and MariaDB SQL.
#include <cstdint>
#include <string>

namespace soci {
class session;
}

namespace pillivery::storage {

enum class Dialect { kSqlite, kMariaDb };

// Replaces the schema placeholders of a migration:
//   {{PK}}       auto-increment 64-bit primary key
//   {{TEXT}}     long text;   {{STR}} short indexed text (VARCHAR(255) on MariaDB)
//   {{TABLE}}    table options (InnoDB, utf8mb4 on MariaDB; nothing on SQLite)
std::string RenderSchema(Dialect dialect, std::string sql);

// " FOR UPDATE SKIP LOCKED" on MariaDB, "" on SQLite (one writer at a time).
const char* ForUpdateSkipLocked(Dialect dialect);
// " FOR UPDATE" on MariaDB, "" on SQLite.
const char* ForUpdate(Dialect dialect);
// INSERT ... ON CONFLICT(k) DO UPDATE SET (SQLite) vs ON DUPLICATE KEY UPDATE (MariaDB).
// columns_excluded: "a = excluded.a" is written as ExcludedValue(d, "a").
std::string UpsertClause(Dialect dialect, const std::string& conflict_columns);
std::string ExcludedValue(Dialect dialect, const std::string& column);
// "INSERT OR IGNORE" vs "INSERT IGNORE".
const char* InsertIgnore(Dialect dialect);

// The engine a session is connected to.
Dialect DialectOf(soci::session& session);

// The id the session's last INSERT generated, read client-side (no statement).
std::int64_t LastInsertId(soci::session& session, Dialect dialect);

}  // namespace pillivery::storage
