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

std::int64_t Int(const json::value& v) { return v.to_number<std::int64_t>(); }
std::int64_t Int(const json::object& o, std::string_view key) { return Int(o.at(key)); }
std::string Text(const json::object& o, std::string_view key) { return std::string(o.at(key).as_string()); }

// Each object of a column read by read_one; a missing key or a value of
// another kind (std::logic_error in Boost 1.81, boost::system::system_error in
// later versions and for a number out of range) becomes `missing`.
template <class T, class ReadOne>
std::vector<T> ReadEach(std::optional<std::string_view> elements, const char* column, const char* missing,
                        ReadOne read_one) {
  std::vector<T> out;
  try {
    for (const auto& element : ParseElements(elements, column)) out.push_back(read_one(element.as_object()));
  } catch (const std::logic_error&) {
    throw std::runtime_error(missing);
  } catch (const boost::system::system_error&) {
    throw std::runtime_error(missing);
  }
  return out;
}

}  // namespace

std::vector<domain::PricedLine> ReadLinesJson(std::optional<std::string_view> lines_json) {
  return ReadEach<domain::PricedLine>(lines_json, "lines_json", "orders.lines_json holds a line without its fields",
                                      [](const json::object& o) {
                                        domain::PricedLine line;
                                        line.line_id = Int(o, "id");
                                        line.item_id = Int(o, "item");
                                        line.product_name = Text(o, "name");
                                        line.thumbnail_url = Text(o, "thumbnail");
                                        line.quantity = static_cast<int>(Int(o, "quantity"));
                                        if (const auto& period = o.at("period"); !period.is_null())
                                          line.period = static_cast<int>(Int(period));
                                        line.unit_origin_price = Int(o, "origin");
                                        line.unit_real_price = Int(o, "real");
                                        return line;
                                      });
}

std::vector<domain::StatusChange> ReadHistoryJson(std::optional<std::string_view> history_json) {
  return ReadEach<domain::StatusChange>(
      history_json, "history_json", "orders.history_json holds a change without its fields", [](const json::object& o) {
        auto status = domain::ParseOrderStatus(Text(o, "status"));
        if (!status) throw std::runtime_error("orders.history_json holds an unknown status");
        return domain::StatusChange{*status, Text(o, "at")};
      });
}

}  // namespace pillivery::storage
