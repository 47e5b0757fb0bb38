#pragma once
// Request parsing helpers shared by the handlers.
#include "domain/error.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <climits>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pillivery::api {

// Query parameters as name → first value.
std::map<std::string, std::string> QueryMap(const http::Request& request);
// A positive integer path parameter; 400 VALIDATION_FAILED otherwise (never 500).
std::int64_t PathId(const http::Request& request, std::string_view name);
// The body as a JSON object; 400 MALFORMED_JSON / VALIDATION_FAILED otherwise.
boost::json::object JsonBody(const http::Request& request);

// Typed members: nothing when absent; a field error when present with another
// type (or, for integers, outside [min, max]).
std::optional<std::int64_t> IntField(const boost::json::object& body, const char* name, domain::Validator& v,
                                     std::int64_t min = INT32_MIN, std::int64_t max = INT32_MAX);
std::optional<bool> BoolField(const boost::json::object& body, const char* name, domain::Validator& v);
// An optional status filter of a list endpoint; 400 for an unknown code.
template <typename Parse>
auto EnumQuery(const http::Request& request, const char* name, Parse parse, domain::Validator& v)
    -> decltype(parse(std::string_view{})) {
  auto text = request.QueryValue(name);
  if (!text || text->empty()) return std::nullopt;
  auto value = parse(*text);
  if (!value) v.Add(name, "unknown value");
  return value;
}

}  // namespace pillivery::api
