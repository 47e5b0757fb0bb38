#include "storage/mariadb_statement.hpp"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <soci/mysql/soci-mysql.h>

#include <cstring>

namespace pillivery::storage {

PositionalSql ToPositional(std::string_view sql) {
  PositionalSql out;
  out.text.reserve(sql.size());
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < sql.size();) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {  // a quoted literal or name: copied as is, '' and \' inside
      std::size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == '\\' && c != '`') {
          end += 2;
          continue;
        }
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = std::min(end + 1, sql.size());
      out.text.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // a comment to the end of the line
      std::size_t end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
      out.text.append(sql.substr(i, end - i));
      i = end;
    } else if (c == ':' && i + 1 < sql.size() && is_name(sql[i + 1]) && (i == 0 || sql[i - 1] != ':')) {
      std::size_t end = i + 1;
      while (end < sql.size() && is_name(sql[end])) ++end;
      out.text += '?';
      ++out.placeholders;
      i = end;
    } else {
      out.text += c;
      ++i;
    }
  }
  return out;
}

bool IsConnectionLost(unsigned error_number) {
  return error_number == CR_SERVER_GONE_ERROR || error_number == CR_SERVER_LOST ||
         error_number == CR_CONNECTION_ERROR || error_number == CR_CONN_HOST_ERROR ||
         error_number == CR_SERVER_LOST_EXTENDED || error_number == ER_UNKNOWN_STMT_HANDLER ||
         error_number == ER_CONNECTION_KILLED || error_number == 1927 /* lost connection to backend */ ||
         error_number == ER_SERVER_SHUTDOWN;
}

// One result column: where the client library writes the current row's value.
// Kept at one address (the vector is sized once), since the bindings point here.
struct MariaDbStatement::Column {
  enum class Kind { kInt, kDouble, kText } kind = Kind::kText;
  long long* int_value = nullptr;        // owned by row_
  double* double_value = nullptr;        // owned by row_
  std::string* text_value = nullptr;     // owned by row_
  soci::indicator* indicator = nullptr;  // owned by row_
  std::vector<char> buffer;              // text arrives here first
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
};

std::unique_ptr<MariaDbStatement> MariaDbStatement::Prepare(MYSQL* connection, const std::string& sql,
                                                            std::size_t param_count) {
  MYSQL_STMT* raw = mysql_stmt_init(connection);
  if (!raw) throw soci::mysql_soci_error(mysql_error(connection), static_cast<int>(mysql_errno(connection)));
  std::unique_ptr<MariaDbStatement> statement(new MariaDbStatement(raw));
  if (mysql_stmt_prepare(raw, sql.data(), sql.size()) != 0) {
    if (mysql_stmt_errno(raw) == ER_UNSUPPORTED_PS) return nullptr;
    statement->Fail();
  }
  statement->param_count_ = mysql_stmt_param_count(raw);
  if (statement->param_count_ != param_count)
    throw soci::mysql_soci_error("the statement has " + std::to_string(statement->param_count_) + " placeholders but " +
                                     std::to_string(param_count) + " values were given",
                                 0);
  statement->BindColumns();
  return statement;
}

MariaDbStatement::MariaDbStatement(MYSQL_STMT* statement) : statement_(statement) {}

MariaDbStatement::~MariaDbStatement() { mysql_stmt_close(statement_); }

void MariaDbStatement::Fail() const {
  throw soci::mysql_soci_error(mysql_stmt_error(statement_), static_cast<int>(mysql_stmt_errno(statement_)));
}

void MariaDbStatement::BindColumns() {
  MYSQL_RES* meta = mysql_stmt_result_metadata(statement_);
  if (!meta) return;  // no rows: an INSERT, UPDATE or DELETE
  struct FreeMeta {
    MYSQL_RES* meta;
    ~FreeMeta() { mysql_free_result(meta); }
  } free_meta{meta};
  const unsigned count = mysql_num_fields(meta);
  MYSQL_FIELD* fields = mysql_fetch_fields(meta);
  columns_ = std::vector<Column>(count);
  row_.clean_up();
  for (unsigned i = 0; i < count; ++i) {
    Column& column = columns_[i];
    soci::column_properties properties;
    properties.set_name(fields[i].name);
    column.indicator = new soci::indicator(soci::i_ok);
    switch (fields[i].type) {
      case MYSQL_TYPE_TINY:
      case MYSQL_TYPE_SHORT:
      case MYSQL_TYPE_INT24:
      case MYSQL_TYPE_LONG:
      case MYSQL_TYPE_LONGLONG:
      case MYSQL_TYPE_YEAR:
        column.kind = Column::Kind::kInt;
        column.int_value = new long long(0);
        properties.set_data_type(soci::dt_long_long);
        row_.add_properties(properties);
        row_.add_holder(column.int_value, column.indicator);
        break;
      case MYSQL_TYPE_FLOAT:
      case MYSQL_TYPE_DOUBLE:
      case MYSQL_TYPE_DECIMAL:
      case MYSQL_TYPE_NEWDECIMAL:
        column.kind = Column::Kind::kDouble;
        column.double_value = new double(0);
        properties.set_data_type(soci::dt_double);
        row_.add_properties(properties);
        row_.add_holder(column.double_value, column.indicator);
        break;
      default:  // text, blobs, dates: as text, as the schema keeps its dates
        column.kind = Column::Kind::kText;
        column.text_value = new std::string;
        column.buffer.resize(64);
        properties.set_data_type(soci::dt_string);
        row_.add_properties(properties);
        row_.add_holder(column.text_value, column.indicator);
        break;
    }
  }
}

void MariaDbStatement::Run(SqlParams params, const RowHandler* on_row) {
  if (params.size() != param_count_) throw soci::mysql_soci_error("wrong number of values for a prepared statement", 0);
  // Bound afresh on each run: text is sent straight from the caller's strings.
  std::vector<MYSQL_BIND> in(params.size());
  std::vector<unsigned long> lengths(params.size());
  std::vector<long long> ints(params.size());
  std::vector<double> doubles(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    MYSQL_BIND& b = in[i];
    std::memset(&b, 0, sizeof b);
    switch (params[i].GetKind()) {
      case SqlParam::Kind::kInt:
        ints[i] = params[i].Int();
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &ints[i];
        break;
      case SqlParam::Kind::kDouble:
        doubles[i] = params[i].Double();
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &doubles[i];
        break;
      case SqlParam::Kind::kText:
        lengths[i] = static_cast<unsigned long>(params[i].Text().size());
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = const_cast<char*>(params[i].Text().data());
        b.buffer_length = lengths[i];
        b.length = &lengths[i];
        break;
      case SqlParam::Kind::kNull:
        b.buffer_type = MYSQL_TYPE_NULL;
        break;
    }
  }
  if (!in.empty() && mysql_stmt_bind_param(statement_, in.data()) != 0) Fail();
  if (mysql_stmt_execute(statement_) != 0) {
    // The server re-prepared the statement after a schema change and its rows
    // no longer fit the columns bound at prepare time.
    if (mysql_stmt_errno(statement_) == CR_NEW_STMT_METADATA) throw ShapeChanged{};
    Fail();
  }
  affected_rows_ = static_cast<long long>(mysql_stmt_affected_rows(statement_));
  const unsigned field_count = mysql_stmt_field_count(statement_);
  if (field_count == 0) return;
  // Reads the whole result before any row is handed out, and frees it on every
  // way out, so the connection is ready for its next statement.
  struct FreeResult {
    MYSQL_STMT* statement;
    ~FreeResult() { mysql_stmt_free_result(statement); }
  } free_result{statement_};
  if (field_count != columns_.size()) throw ShapeChanged{};
  std::vector<MYSQL_BIND> out(columns_.size());
  auto bind_out = [&] {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      Column& column = columns_[i];
      MYSQL_BIND& b = out[i];
      std::memset(&b, 0, sizeof b);
      b.is_null = &column.is_null;
      b.error = &column.error;
      b.length = &column.length;
      switch (column.kind) {
        case Column::Kind::kInt:
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = column.int_value;
          break;
        case Column::Kind::kDouble:
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = column.double_value;
          break;
        case Column::Kind::kText:
          b.buffer_type = MYSQL_TYPE_STRING;
          b.buffer = column.buffer.data();
          b.buffer_length = column.buffer.size();
          break;
      }
    }
    if (mysql_stmt_bind_result(statement_, out.data()) != 0) Fail();
  };
  bind_out();
  if (mysql_stmt_store_result(statement_) != 0) Fail();
  for (;;) {
    int rc = mysql_stmt_fetch(statement_);
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) Fail();
    bool grown = false;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      Column& column = columns_[i];
      *column.indicator = column.is_null ? soci::i_null : soci::i_ok;
      if (column.kind != Column::Kind::kText || column.is_null) continue;
      if (column.length > column.buffer.size()) {  // truncated (MYSQL_DATA_TRUNCATED): fetch it whole
        column.buffer.resize(column.length);
        MYSQL_BIND whole = out[i];
        whole.buffer = column.buffer.data();
        whole.buffer_length = column.buffer.size();
        if (mysql_stmt_fetch_column(statement_, &whole, static_cast<unsigned>(i), 0) != 0) Fail();
        grown = true;
      }
      column.text_value->assign(column.buffer.data(), column.length);
    }
    if (grown) bind_out();  // the next rows land in the larger buffers
    if (on_row) (*on_row)(row_);
  }
}

}  // namespace pillivery::storage
