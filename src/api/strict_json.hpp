#pragma once
// Request bodies for the auth and user routes: a JSON object with no
// duplicate keys (two "email"s are an ambiguity a proxy and this server could
// read differently, so they are refused), and typed field readers that report
// a wrong type as a field error instead of failing later.
#include "domain/error.hpp"
#include "http/message.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pillivery::api {

// 400 MALFORMED_JSON for invalid JSON, a non-object, or a duplicate key at any
// depth. The same as JsonBody, which applies these rules to every route's body.
boost::json::object StrictJsonBody(const http::Request& request);
// Whether a (valid) JSON text repeats a key within one object, at any depth.
bool RepeatsAKey(std::string_view json);

// A string member: nothing when absent; a field error when present with another type.
std::optional<std::string> StringField(const boost::json::object& body, const char* name, domain::Validator& validator);
// Like StringField, but absence is a field error too ("" is returned then).
std::string RequiredStringField(const boost::json::object& body, const char* name, domain::Validator& validator);

}  // namespace pillivery::api
