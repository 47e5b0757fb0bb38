#include "storage/order_read_model.hpp"

#include <boost/json.hpp>

#include <stdexcept>
#include <string>

namespace pillivery::storage {

namespace {

namespace json = boost::json;

// The objects of a column ("{...},{...}"; none when NULL or empty).
json::array ParseElements(std::optional<std::string_view> elements, const char* column) {
  if (!elements || elements->empty()) return {};
  std::string text;
  text.reserve(elements->size() + 2);
  text.append("[").append(*elements).append("]");
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_array()) throw std::runtime_error(std::string("orders.") + column + " is not valid JSON");
  return std::move(parsed.as_array());
}

std::int64_t Int(const json::object& o, std::string_view key) { return o.at(key).to_number<std::int64_t>(); }
std::string Text(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

}  // namespace

std::vector<domain::PricedLine> ReadLinesJson(std::optional<std::string_view> lines_json) {
  std::vector<domain::PricedLine> lines;
  try {
    for (const auto& element : ParseElements(lines_json, "lines_json")) {
      const auto& o = element.as_object();
      domain::PricedLine line;
      line.line_id = Int(o, "id");
      line.item_id = Int(o, "item");
      line.product_name = Text(o, "name");
      line.thumbnail_url = Text(o, "thumbnail");
      line.quantity = static_cast<int>(Int(o, "quantity"));
      if (const auto& period = o.at("period"); !period.is_null()) line.period = static_cast<int>(Int(o, "period"));
      line.unit_origin_price = Int(o, "origin");
      line.unit_real_price = Int(o, "real");
      lines.push_back(std::move(line));
    }
  } catch (const std::logic_error&) {  // a missing key or a value of another kind (Boost 1.81)
    throw std::runtime_error("orders.lines_json holds a line without its fields");
  } catch (const boost::system::system_error&) {  // the same from later Boost versions, and a number out of range
    throw std::runtime_error("orders.lines_json holds a line without its fields");
  }
  return lines;
}

std::vector<domain::StatusChange> ReadHistoryJson(std::optional<std::string_view> history_json) {
  std::vector<domain::StatusChange> history;
  try {
    for (const auto& element : ParseElements(history_json, "history_json")) {
      const auto& o = element.as_object();
      auto status = domain::ParseOrderStatus(Text(o, "status"));
      if (!status) throw std::runtime_error("orders.history_json holds an unknown status");
      history.push_back({*status, Text(o, "at")});
    }
  } catch (const std::logic_error&) {
    throw std::runtime_error("orders.history_json holds a change without its fields");
  } catch (const boost::system::system_error&) {
    throw std::runtime_error("orders.history_json holds a change without its fields");
  }
  return history;
}

}  // namespace pillivery::storage
