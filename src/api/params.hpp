#pragma once
// Request parsing helpers shared by the handlers.
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace pillivery::api {

// Query parameters as name → first value.
std::map<std::string, std::string> QueryMap(const http::Request& request);
// A positive integer path parameter; 400 VALIDATION_FAILED otherwise (never 500).
std::int64_t PathId(const http::Request& request, std::string_view name);
// The body as a JSON object; 400 MALFORMED_JSON / VALIDATION_FAILED otherwise.
boost::json::object JsonBody(const http::Request& request);

}  // namespace pillivery::api
