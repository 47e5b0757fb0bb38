#pragma once
// A KakaoPay request's parameters as the client sent them, from either body
// form: the current generation sends JSON, the legacy one form-encoded bodies.
#include "http/message.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pillivery::simulator {

// name → value, every value as text (JSON numbers included); absent or null
// parameters are not in the map.
using Params = std::map<std::string, std::string>;

// Parsed leniently by content: a body starting with '{' is JSON, anything else
// form-encoded. Throws GatewayError -2 for broken JSON.
Params ParseParams(const http::Request& request);

// "" when absent.
std::string Get(const Params& params, const char* name);
// nullopt when absent or empty; throws GatewayError -2 when not an integer.
std::optional<std::int64_t> GetInt(const Params& params, const char* name);

}  // namespace pillivery::simulator
