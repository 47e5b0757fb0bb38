#include "storage/database.hpp"

#include "domain/error.hpp"
#include "storage/mariadb_statement.hpp"
#include "storage/sqlite_commit_signal.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <soci/mysql/soci-mysql.h>
#include <boost/url/parse.hpp>

#include <soci/sqlite3/soci-sqlite3.h>
#include "storage/connection_errors.hpp"

#include <mutex>
#include <string_view>

namespace pillivery::storage {

using domain::Error;
using domain::ErrorCode;

namespace {
// SQLite counts every allocation under one process-wide mutex unless told not
// to; perf put that mutex at ~13% of the server's CPU on order reads (while
// every query was still prepared afresh, which allocates a lot). The
// setting only takes before SQLite initialises, so it is made before the
// first connection opens (a later call is refused, harmlessly).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

void ConfigureMariaDbSession(soci::session& session) {
  session << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
  session << "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE'";
  session << "SET SESSION eq_range_index_dive_limit = 2";
}

MYSQL* NativeMariaDb(soci::session& session) {
  auto* backend = static_cast<soci::mysql_session_backend*>(session.get_backend());
  return backend ? backend->conn_ : nullptr;
}

// The last statement on the connection found it gone (the server restarted or
// dropped it). Read client-side: no round trip.
bool LostConnection(soci::session& session) {
  MYSQL* native = NativeMariaDb(session);
  return !native || IsConnectionLost(mysql_errno(native));
}

bool InTransaction(soci::session& session) {
  MYSQL* native = NativeMariaDb(session);
  return native && (native->server_status & SERVER_STATUS_IN_TRANS) != 0;
}
}  // namespace

DbUrl ParseDbUrl(const std::string& url) {
  DbUrl out;
  if (url.starts_with("sqlite://")) {
    out.dialect = Dialect::kSqlite;
    std::string path = url.substr(9);  // "/abs" for sqlite:///abs, "rel.db" otherwise
    if (path.empty()) throw Error(ErrorCode::kConfigInvalid, "empty sqlite path");
    out.sqlite_path = path;
    out.connect_string = "db=" + path + " timeout=10 shared_cache=false";
    return out;
  }
  if (url.starts_with("mariadb://") || url.starts_with("mysql://")) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) throw Error(ErrorCode::kConfigInvalid, "bad database url");
    out.dialect = Dialect::kMariaDb;
    std::string db = parsed->path();
    if (db.starts_with("/")) db.erase(0, 1);
    for (const auto& param : parsed->params()) {
      if (param.key != "server_prepare") continue;
      if (param.value != "true" && param.value != "false")
        throw Error(ErrorCode::kConfigInvalid, "server_prepare must be true or false");
      out.server_prepare = param.value == "true";
    }
    std::string cs = "db=" + db + " host=" + std::string(parsed->host()) + " charset=utf8mb4";
    if (parsed->has_port()) cs += " port=" + std::string(parsed->port());
    if (parsed->has_userinfo()) {
      cs += " user=" + std::string(parsed->user());
      if (parsed->has_password()) cs += " password='" + std::string(parsed->password()) + "'";
    }
    out.connect_string = cs;
    return out;
  }
  throw Error(ErrorCode::kConfigInvalid, "database url must start with sqlite:// or mariadb://");
}

struct Database::Gauges {
  prometheus::Gauge* in_use;
  prometheus::Gauge* idle;
  prometheus::Gauge* waiting;
  prometheus::Counter* timeouts;  // DATABASE_BUSY answers: the pool was too small for the load
};

Database::Database(const std::string& url, int pool_size, std::chrono::milliseconds acquire_timeout,
                   prometheus::Registry* registry)
    : url_(ParseDbUrl(url)),
      pool_size_(pool_size),
      acquire_timeout_(acquire_timeout),
      pool_(pool_size),
      suspect_(std::make_unique<std::atomic<bool>[]>(static_cast<std::size_t>(pool_size))) {
  for (int i = 0; i < pool_size; ++i) {
    soci::session& session = pool_.at(i);
    if (url_.dialect == Dialect::kSqlite) {
      ConfigureSqliteOnce();
      session.open(soci::sqlite3, url_.connect_string);
      session << "PRAGMA journal_mode=WAL";
      session << "PRAGMA synchronous=NORMAL";
      session << "PRAGMA foreign_keys=ON";
      session << "PRAGMA busy_timeout=10000";
      // A 2 MiB page cache per connection keeps the hot indexes in memory;
      // the rest comes from the OS page cache. (A memory map was faster for
      // scans but counted the whole file once per connection in RSS; 4 MiB
      // put the 40k-item bench at 116 MB.)
      session << "PRAGMA cache_size=-2048";
      // A statement with LIKE :pattern is otherwise re-prepared whenever a new
      // pattern is bound (for a prefix plan, which our leading '%' never
      // allows): perf put sqlite3Reprepare at 9% of keyword search with
      // cached statements. The planner stability guarantee plans once.
      auto* native = static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
      sqlite_api::sqlite3_db_config(native, SQLITE_DBCONFIG_ENABLE_QPSG, 1, nullptr);
      // Writers wait for one another's commits, not on fixed sleeps (10 s at most, as busy_timeout said).
      if (!commit_signal_) commit_signal_ = std::make_unique<SqliteCommitSignal>(std::chrono::seconds(10));
      commit_signal_->Install(native);
    } else {
      session.open(soci::mysql, url_.connect_string);
      ConfigureMariaDbSession(session);
    }
    // 128 kept statements per connection: the hot set is a few dozen, and pages
    // of orders add up to 16 (8 list sizes, lines and history).
    statements_.push_back(std::make_unique<StatementCache>(session, 128, url_.server_prepare));
    statements_by_session_.emplace(&session, statements_.back().get());
  }
  if (registry) {
    auto& family = prometheus::BuildGauge()
                       .Name("pillivery_db_pool_connections")
                       .Help("Database pool connections by state")
                       .Register(*registry);
    auto& timeouts = prometheus::BuildCounter()
                         .Name("pillivery_db_pool_timeouts_total")
                         .Help("Database pool leases that timed out (DATABASE_BUSY)")
                         .Register(*registry);
    gauges_ = std::make_unique<Gauges>(Gauges{&family.Add({{"state", "in_use"}}), &family.Add({{"state", "idle"}}),
                                              &family.Add({{"state", "waiting"}}), &timeouts.Add({})});
    UpdateGauges();
  }
}

Database::~Database() = default;

std::optional<domain::Error> TransientDatabaseError(const std::exception& error) {
  const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error);
  if (mysql == nullptr) return std::nullopt;
  switch (mysql->err_num_) {
    case 2002:  // can't connect (socket)
    case 2003:  // can't connect (TCP)
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection (system error)
      return domain::Error(ErrorCode::kDatabaseUnavailable, "The database does not answer; try again shortly.");
    // The transaction was rolled back whole (a deadlock's victim) or waited too
    // long for a lock: nothing of it was kept, so the client may simply retry.
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
      return domain::Error(ErrorCode::kDatabaseBusy, "The database is busy; try again shortly.");
    default:
      return std::nullopt;
  }
}
bool IsDeadlockVictim(const std::exception& error) {
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error); mysql && mysql->err_num_ == 1213)
    return true;
  // The text protocol's errors may come without their number.
  return dynamic_cast<const soci::soci_error*>(&error) != nullptr &&
         std::string_view(error.what()).find("Deadlock found") != std::string_view::npos;
}

void Database::UpdateGauges() {
  if (!gauges_) return;
  int used = in_use_.load();
  gauges_->in_use->Set(used);
  gauges_->idle->Set(pool_size_ - used);
  gauges_->waiting->Set(waiting_.load());
}

Database::Lease Database::Acquire() {
  ++waiting_;
  UpdateGauges();
  std::size_t position = 0;
  bool ok = pool_.try_lease(position, static_cast<int>(acquire_timeout_.count()));
  --waiting_;
  if (!ok) {
    UpdateGauges();
    if (gauges_) gauges_->timeouts->Increment();
    throw Error(ErrorCode::kDatabaseBusy, "The database is busy; try again shortly.");
  }
  ++in_use_;
  UpdateGauges();
  Lease lease(*this, position);
  if (url_.dialect != Dialect::kMariaDb) return lease;
  // A connection whose reconnect failed (the server was still down) tries
  // again here; one suspected since another was found lost is PINGed first,
  // so a restart of MariaDB fails one request, not one per pooled connection.
  bool suspect = suspect_[position].exchange(false);
  MYSQL* native = NativeMariaDb(*lease);
  if (!native || (suspect && mysql_ping(native) != 0)) {
    try {
      Reconnect(*lease, *statements_[position]);
    } catch (const std::exception&) {
      throw Error(ErrorCode::kDatabaseUnavailable, "The database is unavailable; try again shortly.");
    }
  }
  return lease;
}

void Database::Reconnect(soci::session& session, StatementCache& statements) {
  // The statements prepared on the old connection died with it; closing the
  // old connection first leaves them nothing to tell the server.
  session.reconnect();
  statements.Clear();
  ConfigureMariaDbSession(session);
}

bool Database::Ping() {
  try {
    auto lease = Acquire();
    int one = 0;
    *lease << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (...) {
    return false;
  }
}

void Database::Query(soci::session& session, const std::string& sql, SqlParams params, const RowHandler& on_row) {
  auto found = statements_by_session_.find(&session);
  if (found == statements_by_session_.end()) return StatementCache::QueryOnce(session, sql, params, on_row);
  try {
    found->second->Query(sql, params, on_row);
  } catch (const soci::soci_error& error) {
    // A read outside a transaction on a connection the server dropped (it
    // restarted) is run again once on a new connection; no row was handed out,
    // since a result is read whole first. Inside a transaction the work so far
    // is lost with the connection, so the error goes up.
    if (url_.dialect != Dialect::kMariaDb || InTransaction(session)) throw;
    const auto* mariadb = dynamic_cast<const soci::mysql_soci_error*>(&error);
    if (!LostConnection(session) && !(mariadb && IsConnectionLost(mariadb->err_num_))) throw;
    Reconnect(session, *found->second);
    found->second->Query(sql, params, on_row);
  }
}

long long Database::Execute(soci::session& session, const std::string& sql, SqlParams params) {
  auto found = statements_by_session_.find(&session);
  if (found == statements_by_session_.end()) return StatementCache::ExecuteOnce(session, sql, params);
  return found->second->Execute(sql, params);
}

Database::Lease::Lease(Database& db, std::size_t position)
    : db_(&db), position_(position), session_(&db.pool_.at(position)) {}

Database::Lease::Lease(Lease&& other) noexcept : db_(other.db_), position_(other.position_), session_(other.session_) {
  other.db_ = nullptr;
}

Database::Lease::~Lease() {
  if (!db_) return;
  // A MariaDB connection that was lost under this lease is replaced before the
  // next lease gets it (if the server is still down, Acquire tries again).
  if (db_->url_.dialect == Dialect::kMariaDb && session_->get_backend() && LostConnection(*session_)) {
    for (int i = 0; i < db_->pool_size_; ++i) db_->suspect_[static_cast<std::size_t>(i)] = true;
    db_->suspect_[position_] = false;
    try {
      db_->Reconnect(*session_, *db_->statements_[position_]);
    } catch (const std::exception&) {
      try {
        session_->close();
      } catch (...) {
      }
    }
  }
  db_->pool_.give_back(position_);
  --db_->in_use_;
  db_->UpdateGauges();
}

Transaction::Transaction(soci::session& session, Dialect dialect) : session_(session) {
  session_ << (dialect == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    session_ << "ROLLBACK";
  } catch (...) {
  }
}

void Transaction::Commit() {
  session_ << "COMMIT";
  done_ = true;
}

void Transaction::Rollback() {
  if (done_) return;
  done_ = true;
  session_ << "ROLLBACK";
}

}  // namespace pillivery::storage
