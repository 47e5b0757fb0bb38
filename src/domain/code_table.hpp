#pragma once
// Domain-internal: an enum's wire and column codes as one table of
// {value, code} pairs, read both ways.
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace pillivery::domain::detail {

template <typename Enum, std::size_t N>
std::string_view CodeIn(const std::pair<Enum, std::string_view> (&table)[N], Enum value) {
  for (auto [e, code] : table)
    if (e == value) return code;
  return table[0].second;  // unreachable: every value is in its table
}
template <typename Enum, std::size_t N>
std::optional<Enum> ParseIn(const std::pair<Enum, std::string_view> (&table)[N], std::string_view text) {
  for (auto [e, code] : table)
    if (code == text) return e;
  return std::nullopt;
}

}  // namespace pillivery::domain::detail
