#pragma once
// A statement prepared on the MariaDB server and run through the client
// library's binary protocol (mysql_stmt_*): parsed once per connection, then
// only its values travel, as typed binary fields, and its rows come back the
// same way. SOCI's MySQL backend instead substitutes every value into the text
// client-side, so the server parses and plans each statement afresh; perf put
// that at about half of MariaDB's CPU on an order read.
//
// Rows are handed out as a soci::row, so row readers (row_reader.hpp) and the
// repositories read them as they read SOCI's: integers as dt_long_long,
// DOUBLE/DECIMAL as dt_double, everything else (text, dates) as dt_string.
// The whole result is read into client memory before the first row is
// handed out (mysql_stmt_store_result), as SOCI's backend does, so a row
// handler may run other statements on the same connection.
#include "storage/statement_cache.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct st_mysql;
struct st_mysql_stmt;

namespace pillivery::storage {

// The SQL with SOCI's ":name" placeholders written as "?" (outside quotes and
// comments), and how many there were.
struct PositionalSql {
  std::string text;
  std::size_t placeholders = 0;
};
PositionalSql ToPositional(std::string_view sql);

// Error numbers after which the connection itself is gone (the server
// restarted or dropped it): the statements prepared on it are gone too.
bool IsConnectionLost(unsigned error_number);

class MariaDbStatement {
 public:
  // Prepares sql on the connection. Returns nullptr when the server cannot
  // prepare this kind of statement (the caller runs it as text instead);
  // throws soci::mysql_soci_error on any other error, as SOCI would.
  static std::unique_ptr<MariaDbStatement> Prepare(st_mysql* connection, const std::string& sql,
                                                   std::size_t param_count);
  ~MariaDbStatement();
  MariaDbStatement(const MariaDbStatement&) = delete;
  MariaDbStatement& operator=(const MariaDbStatement&) = delete;

  // Binds params (their kinds may differ from the last call), executes and
  // calls on_row for each row when given. Throws soci::mysql_soci_error.
  void Run(SqlParams params, const RowHandler* on_row);
  long long AffectedRows() const { return affected_rows_; }
  // The result's columns no longer match the ones bound at prepare time (a
  // migration changed a table under a "SELECT *"): prepare afresh.
  struct ShapeChanged {};

 private:
  struct Column;
  explicit MariaDbStatement(st_mysql_stmt* statement);
  void BindColumns();
  [[noreturn]] void Fail() const;

  st_mysql_stmt* statement_;
  std::size_t param_count_ = 0;
  std::vector<Column> columns_;
  soci::row row_;  // holds the values of the current row; its holders point into columns_
  long long affected_rows_ = 0;
};

}  // namespace pillivery::storage
