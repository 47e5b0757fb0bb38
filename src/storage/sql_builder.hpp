#pragma once
// The text and the values of a statement whose length depends on its rows
// (grouped inserts and updates, IN lists), built together so that each value
// is bound by position right where its placeholder is written.
//
// Placeholders are anonymous (`?`) on SQLite: it keeps named ones in a list it
// searches linearly for each new name, and perf put that search (with its
// strncmp) at ~15% of a single-node server's CPU for groups of a few hundred
// values. SOCI's MySQL backend substitutes only named ones (`:v0`, `:v1`…).
#include "storage/dialect.hpp"
#include "storage/statement_cache.hpp"

#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::storage {

class SqlBuilder {
 public:
  explicit SqlBuilder(Dialect dialect) : anonymous_(dialect == Dialect::kSqlite) {}

  // Appends SQL text.
  SqlBuilder& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  // Appends a placeholder bound to `value`; a text value must outlive the statement.
  SqlBuilder& Value(SqlParam value) {
    if (anonymous_)
      sql_ += '?';
    else
      sql_ += ":v" + std::to_string(params_.size());
    params_.push_back(value);
    return *this;
  }
  // The same for a text the builder keeps (a formatted date, a number as text).
  SqlBuilder& Owned(std::string text) { return Value(std::string_view(kept_.emplace_back(std::move(text)))); }
  // Appends "(v1, v2, …)": one row of a multi-row VALUES list (texts must outlive the statement).
  SqlBuilder& Row(std::initializer_list<SqlParam> values) {
    sql_ += '(';
    bool first = true;
    for (const auto& value : values) {
      if (!first) sql_ += ", ";
      first = false;
      Value(value);
    }
    sql_ += ')';
    return *this;
  }
  // Appends "v1, v2, …" for the values given by `value_of(item)` of each item.
  template <class Range, class ValueOf>
  SqlBuilder& List(const Range& items, ValueOf value_of) {
    bool first = true;
    for (const auto& item : items) {
      if (!first) sql_ += ", ";
      first = false;
      Value(value_of(item));
    }
    return *this;
  }

  const std::string& Sql() const { return sql_; }
  SqlParams Params() const { return SqlParams(params_); }

 private:
  bool anonymous_;
  std::string sql_;
  std::vector<SqlParam> params_;
  std::deque<std::string> kept_;  // a deque: views into it stay valid as it grows
};

}  // namespace pillivery::storage
