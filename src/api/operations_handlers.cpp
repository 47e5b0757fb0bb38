#include "api/operations_handlers.hpp"

#include <sodium.h>

#include "api/openapi_document.hpp"
#include "infra/html_escape.hpp"
#include "infra/json_writer.hpp"

#include <prometheus/text_serializer.h>

#include <map>

namespace pillivery::api {

OperationsHandlers::OperationsHandlers(storage::Database& database, const Readiness& readiness,
                                       prometheus::Registry& registry, infra::NetworkList metrics_networks,
                                       std::optional<std::string> metrics_token)
    : database_(database),
      readiness_(readiness),
      registry_(registry),
      metrics_networks_(std::move(metrics_networks)),
      metrics_token_(std::move(metrics_token)) {
  OpenApiJson();  // built now: a malformed fragment stops the server at start, not at the first request
}

http::Response OperationsHandlers::Live(http::Request&) { return http::Response::Json(200, {{"status", "UP"}}); }

// 503 while draining or without the database. Redis down is reported but
// stays 200 (DEGRADED): the store keeps selling without it (views are held in
// memory, invalidations fall back to the TTL), and a balancer that polls
// readiness would otherwise take every server out at once.
http::Response OperationsHandlers::Ready(http::Request&) {
  const bool db_ok = database_.Ping();
  const auto redis = readiness_.RedisUp();
  const bool draining = readiness_.Draining();
  boost::json::object checks{{"database", db_ok ? "UP" : "DOWN"}};
  if (redis) checks["redis"] = *redis ? "UP" : "DOWN";
  const char* status = draining ? "DRAINING" : !db_ok ? "DOWN" : (redis && !*redis) ? "DEGRADED" : "UP";
  const int code = draining || !db_ok ? 503 : 200;
  return http::Response::Json(code, {{"status", status}, {"checks", checks}});
}

http::Response OperationsHandlers::Metrics(http::Request& request) {
  // Metrics name routes, volumes and failures: operators only (docs/security.md).
  bool allowed = metrics_networks_.Contains(request.client_address);
  if (!allowed && metrics_token_) {
    const auto& expected = *metrics_token_;
    auto token = BearerToken(request).value_or("");
    allowed = !expected.empty() && token.size() == expected.size() &&
              sodium_memcmp(token.data(), expected.data(), expected.size()) == 0;
  }
  if (!allowed)
    throw domain::Error(domain::ErrorCode::kForbidden,
                        "Metrics answer the operators' networks or the metrics token only.");
  prometheus::TextSerializer serializer;
  return http::Response::Text(200, serializer.Serialize(registry_.Collect()),
                              "text/plain; version=0.0.4; charset=utf-8");
}

http::Response OperationsHandlers::OpenApi(http::Request&) {
  return http::Response::Text(200, OpenApiJson(), "application/json");
}

namespace {

std::span<const embedded::File> DocsViewer() { return {embedded::kDocsViewer, embedded::kDocsViewerCount}; }

}  // namespace

// Without the npm build: every operation of the document in a table, and how to get the real reference.
std::string PlainDocsPage() {
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pillivery API</title>"
      "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:.2em .8em}"
      "code{background:#f4f4f4}</style></head><body><h1>Pillivery API</h1>"
      "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 "
      "problem details with a stable <code>code</code>.</p>"
      "<p>The interactive reference is not built into this server. To build it: <code>cd tools/api &amp;&amp; npm ci "
      "&amp;&amp; npm run build</code>, then rebuild the server (<code>cmake --build</code>).</p>"
      "<table><tr><th>method</th><th>path</th><th>auth</th><th>what</th></tr>";
  for (const auto& [path, item] : OpenApiDocument().at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      const auto& op = operation.as_object();
      std::string summary = op.contains("summary") ? std::string(op.at("summary").as_string()) : "";
      std::string auth;
      if (const auto* security = op.if_contains("security"))
        for (const auto& requirement : security->as_array())
          for (const auto& [scheme, scopes] : requirement.as_object())
            auth += (auth.empty() ? "" : ", ") + std::string(scheme);
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      html += "<tr><td>" + upper + "</td><td><code>" + infra::HtmlEscape(path) + "</code></td><td>" +
              infra::HtmlEscape(auth) + "</td><td>" + infra::HtmlEscape(summary) + "</td></tr>";
    }
  }
  html += "</table></body></html>";
  return html;
}

namespace {

constexpr std::string_view kViewerPage =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>Pillivery API reference</title><link rel=\"icon\" href=\"data:,\">"
    "<style>body{margin:0;padding:0}</style></head><body>"
    "<redoc spec-url=\"/openapi.json\" required-props-first=\"true\" expand-responses=\"200,201\" "
    "path-in-middle-panel=\"true\"></redoc>"
    "<script src=\"/docs/redoc.standalone.js\"></script></body></html>";

}  // namespace

http::Response OperationsHandlers::Docs(http::Request&) {
  bool built = false;
  for (const auto& file : DocsViewer()) built = built || file.name == "redoc.standalone.js";
  return http::Response::Text(200, built ? std::string(kViewerPage) : PlainDocsPage(), "text/html; charset=utf-8");
}

http::Response OperationsHandlers::DocsAsset(http::Request& request) {
  auto name = request.PathParam("asset").value_or("");
  for (const auto& file : DocsViewer()) {
    if (file.name != name) continue;
    auto response = http::Response::Text(200, std::string(file.content), "text/javascript; charset=utf-8");
    response.SetHeader("Cache-Control", "public, max-age=3600");
    return response;
  }
  throw domain::Error(domain::ErrorCode::kDocsAssetNotFound, "The reference page has no such file.");
}

}  // namespace pillivery::api
