#pragma once
// Storage-internal: an order's lines and status history as its own row carries
// them (orders.lines_json and orders.history_json, kept by triggers since
// v030): each the elements of a JSON array without its brackets, one object
// per row of order_lines or order_status_history, in id order.
#include "domain/order.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace pillivery::storage {

// Throws std::runtime_error when a column does not hold what the triggers write.
std::vector<domain::PricedLine> ReadLinesJson(std::optional<std::string_view> lines_json);
std::vector<domain::StatusChange> ReadHistoryJson(std::optional<std::string_view> history_json);

}  // namespace pillivery::storage
