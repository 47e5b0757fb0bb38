#pragma once
// Prepared statements kept per pooled connection. On SQLite, preparing (parsing
// and planning) a short read costs more than running it: perf put
// sqlite3_prepare_v2 at 32% of the server's CPU on order detail. A statement in
// this cache is prepared once per connection and afterwards only bound and
// stepped. Only for SQL whose text is fixed (values as placeholders): text with
// values written into it would fill the cache with one-off statements.
//
// On MariaDB a kept statement is prepared on the server and run through the
// binary protocol (mariadb_statement.hpp); on SQLite it is a SOCI statement.
//
// One cache belongs to one pooled session and is used by whoever holds that
// session's lease, so it needs no lock.
#include <soci/soci.h>

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pillivery::storage {

// One value bound to a placeholder, in order: an integer, a double, a text or NULL.
class SqlParam {
 public:
  enum class Kind : char { kInt = 'i', kDouble = 'd', kText = 't', kNull = 'n' };

  template <std::integral T>
  SqlParam(T value) : kind_(Kind::kInt), int_(static_cast<long long>(value)) {}  // NOLINT(google-explicit-constructor)
  SqlParam(double value) : kind_(Kind::kDouble), double_(value) {}               // NOLINT
  SqlParam(std::string_view value) : kind_(Kind::kText), text_(value) {}         // NOLINT
  SqlParam(const std::string& value) : kind_(Kind::kText), text_(value) {}       // NOLINT
  // A parameter keeps a view of its text: a string that dies before the query
  // runs (a temporary kept in a vector of parameters) must not bind.
  SqlParam(std::string&&) = delete;
  SqlParam(const char* value) : kind_(Kind::kText), text_(value) {}  // NOLINT
  SqlParam(std::nullopt_t) : kind_(Kind::kNull) {}                   // NOLINT
  template <class T>
  SqlParam(const std::optional<T>& value) : SqlParam(std::nullopt) {  // NOLINT
    if (value) *this = SqlParam(*value);
  }

  Kind GetKind() const { return kind_; }
  long long Int() const { return int_; }
  double Double() const { return double_; }
  std::string_view Text() const { return text_; }

 private:
  Kind kind_;
  long long int_ = 0;
  double double_ = 0;
  std::string_view text_;  // the caller's string outlives the call
};

using SqlParams = std::span<const SqlParam>;  // a braced list or a vector built for the query
using RowHandler = std::function<void(const soci::row&)>;

class StatementCache {
 public:
  // server_prepare: on MariaDB, kept statements are prepared on the server.
  explicit StatementCache(soci::session& session, std::size_t capacity = 64, bool server_prepare = true);
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Runs a query and calls on_row for each row. The statement is reset
  // afterwards, even when on_row throws, so no read stays open on the connection.
  void Query(const std::string& sql, SqlParams params, const RowHandler& on_row);
  void Query(const std::string& sql, std::initializer_list<SqlParam> params, const RowHandler& on_row) {
    Query(sql, SqlParams(params.begin(), params.size()), on_row);
  }
  // Runs a statement without rows; returns the number of rows it changed.
  long long Execute(const std::string& sql, SqlParams params);
  long long Execute(const std::string& sql, std::initializer_list<SqlParam> params) {
    return Execute(sql, SqlParams(params.begin(), params.size()));
  }

  // The same, prepared for this one call and thrown away: for sessions that
  // are not pooled (tests, one-off tools).
  static void QueryOnce(soci::session& session, const std::string& sql, SqlParams params, const RowHandler& on_row);
  static long long ExecuteOnce(soci::session& session, const std::string& sql, SqlParams params);
  static void QueryOnce(soci::session& session, const std::string& sql, std::initializer_list<SqlParam> params,
                        const RowHandler& on_row) {
    QueryOnce(session, sql, SqlParams(params.begin(), params.size()), on_row);
  }
  static long long ExecuteOnce(soci::session& session, const std::string& sql, std::initializer_list<SqlParam> params) {
    return ExecuteOnce(session, sql, SqlParams(params.begin(), params.size()));
  }

  std::size_t Size() const { return entries_.size(); }
  // Forgets every statement: after a reconnect, the server no longer knows them.
  void Clear();

 private:
  struct Entry;
  // keep: the statement is cached for reuse (on MariaDB: prepared on the server).
  static std::unique_ptr<Entry> Prepare(soci::session& session, const std::string& sql, SqlParams params, bool rows,
                                        bool server_prepare);
  static void Run(Entry& entry, SqlParams params, const RowHandler* on_row);
  Entry& Find(const std::string& sql, SqlParams params, bool rows);

  soci::session& session_;
  std::size_t capacity_;
  bool server_prepare_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace pillivery::storage
