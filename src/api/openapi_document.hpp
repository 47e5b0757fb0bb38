#pragma once
// The OpenAPI 3.1 document of the API server, built from the JSON fragments in
// src/api/openapi/ (compiled in; see its README.md). One entry per route of the
// route table, keyed "METHOD /path"; DocumentationGaps names any route without an
// entry and any entry without a route.
#include "api/access.hpp"
#include "api/embedded_files.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace pillivery::api {

// (method, pattern) of one route, as the router holds it.
using RouteKey = std::pair<std::string, std::string>;

// Who may call each route, as the route table declares it.
using RouteAccess = std::map<RouteKey, Access>;

// The document from the given fragments. Each operation of a route in `access`
// gets its `security` from the route's Access (public: none, user and admin: the
// bearer token, internal: the service token). Throws std::runtime_error naming
// the fragment for a malformed one: invalid JSON, a key defined twice, an
// operation key that is not "METHOD /path", a problem code missing from the
// catalogue, or a `security` written in the fragment of a route in `access`.
boost::json::object BuildOpenApiDocument(std::span<const embedded::File> fragments, std::string_view version,
                                         const RouteAccess& access = {});

// The server's own document (the compiled-in fragments), built once.
const boost::json::object& OpenApiDocument();
const std::string& OpenApiJson();

// One line per route without an entry and per entry without a route; empty when the
// route table and the document agree.
std::vector<std::string> DocumentationGaps(const std::vector<RouteKey>& routes,
                                           std::span<const embedded::File> fragments);
std::vector<std::string> DocumentationGaps(const std::vector<RouteKey>& routes);

}  // namespace pillivery::api
