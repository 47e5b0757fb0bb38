#pragma once
// The middleware chain of the API server, outermost first:
// RequestId → AccessLog → Metrics → Problem → Gzip → router.
#include "domain/error.hpp"
#include "http/message.hpp"

#include <prometheus/registry.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pillivery::http {

// Echoes a sane incoming X-Request-Id (≤ 128 chars of [A-Za-z0-9._-]) or makes one.
Middleware RequestIdMiddleware();
// One JSON log line per request: method, route, status, duration, request id.
Middleware AccessLogMiddleware();
// http_requests_total and http_request_duration_seconds by route template and status.
Middleware MetricsMiddleware(prometheus::Registry& registry);
// Turns domain::Error (and any other exception) into application/problem+json:
// the one place an error takes its wire shape. The status comes from the
// error's kind (StatusOf), the title from the status (StatusTitle); a 401 gets
// `www_authenticate` (when given) and an error that knows when to come back
// gets Retry-After. `translate` (optional) turns an exception that is not a
// domain::Error into one (e.g. the database being unreachable → 503);
// otherwise it is a 500.
using ExceptionTranslator = std::function<std::optional<domain::Error>(const std::exception&)>;
Middleware ProblemMiddleware(ExceptionTranslator translate = {}, std::string www_authenticate = {});
// Gzips JSON and text (HTML, JS, CSS, SVG) bodies over 1 KiB when the client accepts gzip.
Middleware GzipMiddleware();

// The status of a problem of this kind.
int StatusOf(domain::ErrorKind kind);

// The title of a problem document with this status (the reason phrase); the
// one table for every problem the server answers and the OpenAPI examples.
const char* StatusTitle(int status);

// A fresh request id: 16 random bytes as 32 lower-case hex digits. The server
// uses it for answers it makes before the chain runs (400/413/431).
std::string NewRequestId();

// Builds a problem+json response; the one place errors take their wire shape.
Response ProblemResponse(int status, std::string_view code, std::string_view detail,
                         const std::vector<std::pair<std::string, std::string>>& errors = {});

}  // namespace pillivery::http
