#include "api/params.hpp"

#include "api/strict_json.hpp"

#include "domain/error.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

namespace pillivery::api {

using domain::Error;
using domain::ErrorCode;

std::map<std::string, std::string> QueryMap(const http::Request& request) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : request.query) out.emplace(k, v);
  return out;
}

std::int64_t PathId(const http::Request& request, std::string_view name) {
  auto text = request.PathParam(name).value_or("");
  std::int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value < 1)
    throw Error::Validation({{std::string(name), "must be a positive integer"}});
  return value;
}

boost::json::object JsonBody(const http::Request& request) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec);
  if (ec) throw Error(ErrorCode::kMalformedJson, "The body is not valid JSON.");
  if (!value.is_object()) throw Error(ErrorCode::kMalformedJson, "The body must be a JSON object.");
  // Two "type"s are an ambiguity a proxy and this server could read differently (issue #13).
  if (RepeatsAKey(request.body)) throw Error(ErrorCode::kMalformedJson, "The body repeats a key.");
  return std::move(value.as_object());
}

std::optional<std::int64_t> IntField(const boost::json::object& body, const char* name, domain::Validator& v,
                                     std::int64_t min, std::int64_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  const auto& value = it->value();
  std::int64_t n = 0;
  if (value.is_int64()) {
    n = value.get_int64();
  } else if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(value.get_uint64());
  } else {
    v.Add(name, "must be an integer");
    return std::nullopt;
  }
  if (n < min || n > max) {
    v.Add(name, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> BoolField(const boost::json::object& body, const char* name, domain::Validator& v) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) {
    v.Add(name, "must be true or false");
    return std::nullopt;
  }
  return it->value().get_bool();
}

}  // namespace pillivery::api
