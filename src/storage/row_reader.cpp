#include "storage/row_reader.hpp"

#include "storage/row_view.hpp"

#include <cstdlib>

namespace pillivery::storage {

std::int64_t GetInt64(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return 0;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(i);
    case soci::dt_long_long:
      return row.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(i));
    case soci::dt_string:
      return std::strtoll(row.get<std::string>(i).c_str(), nullptr, 10);
    default:
      return 0;
  }
}

double GetDouble(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return 0;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_double:
      return row.get<double>(i);
    case soci::dt_string:
      return std::strtod(row.get<std::string>(i).c_str(), nullptr);
    default:
      return static_cast<double>(GetInt64(row, i));
  }
}

std::string GetString(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return {};
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(i);
    case soci::dt_double:
      return std::to_string(row.get<double>(i));
    default:
      return std::to_string(GetInt64(row, i));
  }
}

std::optional<std::string> GetOptionalString(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return std::nullopt;
  return GetString(row, i);
}

std::optional<std::int64_t> GetOptionalInt64(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return std::nullopt;
  return GetInt64(row, i);
}

}  // namespace pillivery::storage

namespace pillivery::storage {

std::int64_t RowView::Int64(std::size_t i) const { return GetInt64(row_, i); }
std::string RowView::String(std::size_t i) const { return GetString(row_, i); }
std::optional<std::int64_t> RowView::OptionalInt64(std::size_t i) const { return GetOptionalInt64(row_, i); }

}  // namespace pillivery::storage
