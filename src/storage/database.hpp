#pragma once
// A bounded pool of SOCI sessions on SQLite (WAL) or MariaDB. Blocking: call it
// from the worker pool, never from an I/O thread. Acquire waits at most the
// configured timeout (3 s) and then throws DATABASE_BUSY (503).
#include "storage/dialect.hpp"
#include "storage/statement_cache.hpp"

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace prometheus {
class Registry;
}

namespace pillivery::storage {

class SqliteCommitSignal;

struct DbUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string connect_string;  // what soci::session::open takes
  std::string sqlite_path;     // for SQLite: the file
  // MariaDB: kept statements are prepared on the server (binary protocol);
  // "?server_prepare=false" sends them as text through SOCI, as before.
  bool server_prepare = true;
};
// sqlite:///abs/path.db, sqlite://relative.db, mariadb://user:pass@host:port/db[?server_prepare=false]
DbUrl ParseDbUrl(const std::string& url);

class Database {
 public:
  class Lease {
   public:
    Lease(Database& db, std::size_t position);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    soci::session& operator*() const { return *session_; }
    soci::session* operator->() const { return session_; }

   private:
    Database* db_;
    std::size_t position_;
    soci::session* session_;
  };

  Database(const std::string& url, int pool_size, std::chrono::milliseconds acquire_timeout = std::chrono::seconds(3),
           prometheus::Registry* registry = nullptr);
  ~Database();

  Lease Acquire();
  Dialect GetDialect() const { return url_.dialect; }
  const DbUrl& Url() const { return url_; }
  int PoolSize() const { return pool_size_; }
  bool Ping();  // readiness check

  // Runs fixed-text SQL through the session's statement cache, so it is
  // prepared once per pooled connection; a session from outside the pool
  // prepares it for the one call.
  void Query(soci::session& session, const std::string& sql, SqlParams params, const RowHandler& on_row);
  void Query(soci::session& session, const std::string& sql, std::initializer_list<SqlParam> params,
             const RowHandler& on_row) {
    Query(session, sql, SqlParams(params.begin(), params.size()), on_row);
  }
  long long Execute(soci::session& session, const std::string& sql, SqlParams params);
  long long Execute(soci::session& session, const std::string& sql, std::initializer_list<SqlParam> params) {
    return Execute(session, sql, SqlParams(params.begin(), params.size()));
  }

 private:
  struct Gauges;
  DbUrl url_;
  int pool_size_;
  std::chrono::milliseconds acquire_timeout_;
  // SQLite: how writers wait for each other; declared before the pool, so it outlives the connections.
  std::unique_ptr<SqliteCommitSignal> commit_signal_;
  soci::connection_pool pool_;
  std::vector<std::unique_ptr<StatementCache>> statements_;                          // by pool position
  std::unordered_map<const soci::session*, StatementCache*> statements_by_session_;  // filled once, then read-only
  // MariaDB, by pool position: another connection was found lost (the server
  // restarted), so this one is PINGed on its next lease before it is used.
  std::unique_ptr<std::atomic<bool>[]> suspect_;
  std::atomic<int> in_use_{0};
  std::atomic<int> waiting_{0};
  std::unique_ptr<Gauges> gauges_;
  void UpdateGauges();
  // MariaDB: a new connection for a pooled session whose old one was lost,
  // with an empty statement cache.
  void Reconnect(soci::session& session, StatementCache& statements);
};

// BEGIN IMMEDIATE on SQLite (so writers queue at the start instead of
// deadlocking on upgrade), START TRANSACTION on MariaDB. Rolls back unless committed.
class Transaction {
 public:
  Transaction(soci::session& session, Dialect dialect);
  ~Transaction();
  void Commit();
  void Rollback();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  soci::session& session_;
  bool done_ = false;
};

}  // namespace pillivery::storage
