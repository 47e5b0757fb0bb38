#include "importer/source_answer.hpp"

#include "domain/error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>

namespace pillivery::importer {
namespace {

namespace json = boost::json;

[[noreturn]] void ThrowMalformed(std::string_view origin, std::string_view why) {
  throw domain::Error(domain::ErrorCode::kImportMalformed,
                      "Malformed public-data answer from " + std::string(origin) + ": " + std::string(why));
}

std::string Snippet(std::string_view text) {
  constexpr size_t kMax = 120;
  if (text.size() <= kMax) return std::string(text);
  size_t cut = kMax;
  // Do not split a UTF-8 sequence: back up to a lead byte.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string TextOf(const json::value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return "";
}

// The APIs send counts as strings ("28050"); saved files may hold numbers.
std::optional<std::int64_t> CountOf(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_string()) {
    std::string_view s = v->get_string();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size() && n >= 0) return n;
  }
  return std::nullopt;
}

void AppendRows(const json::value& v, std::vector<json::object>& rows, std::string_view origin) {
  if (v.is_null()) return;
  auto add = [&](const json::value& element) {
    if (!element.is_object()) ThrowMalformed(origin, "a row is not an object");
    const json::object& o = element.get_object();
    // data.go.kr wraps each row: {"item": {...}}.
    if (o.size() == 1 && o.contains("item") && o.at("item").is_object())
      rows.push_back(o.at("item").get_object());
    else
      rows.push_back(o);
  };
  if (v.is_array()) {
    for (const auto& element : v.get_array()) add(element);
  } else if (v.is_object()) {
    const json::object& o = v.get_object();
    // The XML-derived shape {"item": [...]} or {"item": {...}} for a single row.
    if (const json::value* inner = o.if_contains("item")) {
      if (inner->is_array())
        for (const auto& element : inner->get_array()) add(element);
      else
        add(*inner);
    } else {
      add(v);
    }
  } else if (!(v.is_string() && v.get_string().empty())) {  // data.go.kr sends "" when empty
    ThrowMalformed(origin, "rows are neither an array nor an object");
  }
}

SourceAnswer FromFoodSafety(const json::object& service, std::string_view origin) {
  SourceAnswer answer;
  if (const json::value* result = service.if_contains("RESULT"); result && result->is_object()) {
    answer.result_code = TextOf(result->get_object().if_contains("CODE"));
    answer.result_message = TextOf(result->get_object().if_contains("MSG"));
  }
  answer.total_count = CountOf(service.if_contains("total_count"));
  if (const json::value* rows = service.if_contains("row")) AppendRows(*rows, answer.rows, origin);
  return answer;
}

SourceAnswer FromDataGoKr(const json::object& root, std::string_view origin) {
  SourceAnswer answer;
  if (const json::value* header = root.if_contains("header"); header && header->is_object()) {
    answer.result_code = TextOf(header->get_object().if_contains("resultCode"));
    answer.result_message = TextOf(header->get_object().if_contains("resultMsg"));
  }
  if (const json::value* body = root.if_contains("body"); body && body->is_object()) {
    const json::object& b = body->get_object();
    answer.total_count = CountOf(b.if_contains("totalCount"));
    if (const json::value* items = b.if_contains("items")) AppendRows(*items, answer.rows, origin);
  }
  return answer;
}

}  // namespace

SourceAnswer ParseSourceAnswer(std::string_view text, std::string_view origin, std::string_view expected_service) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) ThrowMalformed(origin, "not JSON (" + ec.message() + "): " + Snippet(text));

  if (root.is_array()) {
    SourceAnswer answer;
    AppendRows(root, answer.rows, origin);
    return answer;
  }
  if (!root.is_object()) ThrowMalformed(origin, "the answer is not a JSON object");
  json::object& o = root.get_object();
  if (const json::value* response = o.if_contains("response"); response && response->is_object())
    return FromDataGoKr(response->get_object(), origin);
  if (o.contains("header") || o.contains("body")) return FromDataGoKr(o, origin);

  if (!expected_service.empty()) {
    if (const json::value* service = o.if_contains(expected_service); service && service->is_object())
      return FromFoodSafety(service->get_object(), origin);
  } else {
    // A saved file: the root key is whichever service it came from.
    for (const auto& [key, value] : o)
      if (value.is_object() && (value.get_object().contains("row") || value.get_object().contains("RESULT")))
        return FromFoodSafety(value.get_object(), origin);
  }
  // Bad keys and some refusals come back as a bare {"RESULT": {...}} at the root.
  if (const json::value* result = o.if_contains("RESULT"); result && result->is_object())
    return FromFoodSafety(o, origin);
  ThrowMalformed(origin, expected_service.empty() ? std::string("no known answer shape")
                                                  : "no \"" + std::string(expected_service) + "\" object");
}

}  // namespace pillivery::importer
