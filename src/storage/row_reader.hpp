#pragma once
// Reads soci::row columns whatever integer width or text type each engine reports.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace pillivery::storage {

std::int64_t GetInt64(const soci::row& row, std::size_t i);
double GetDouble(const soci::row& row, std::size_t i);
std::string GetString(const soci::row& row, std::size_t i);  // NULL → ""
std::optional<std::string> GetOptionalString(const soci::row& row, std::size_t i);
std::optional<std::int64_t> GetOptionalInt64(const soci::row& row, std::size_t i);

}  // namespace pillivery::storage
