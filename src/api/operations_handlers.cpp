#include "api/operations_handlers.hpp"

#include <sodium.h>

#include "infra/json_writer.hpp"

#include <prometheus/text_serializer.h>

#include <map>

namespace pillivery::api {

http::Response OperationsHandlers::Live(http::Request&) {
  return http::Response::Json(200, {{"status", "UP"}});
}

// 503 while draining or without the database. Redis down is reported but
// stays 200 (DEGRADED): the store keeps selling without it (views are held in
// memory, invalidations fall back to the TTL), and a balancer that polls
// readiness would otherwise take every server out at once.
http::Response OperationsHandlers::Ready(http::Request&) {
  const bool db_ok = context_.database.Ping();
  const auto redis = context_.readiness.RedisUp();
  const bool draining = context_.readiness.Draining();
  boost::json::object checks{{"database", db_ok ? "UP" : "DOWN"}};
  if (redis) checks["redis"] = *redis ? "UP" : "DOWN";
  const char* status = draining ? "DRAINING" : !db_ok ? "DOWN" : (redis && !*redis) ? "DEGRADED" : "UP";
  const int code = draining || !db_ok ? 503 : 200;
  return http::Response::Json(code, {{"status", status}, {"checks", checks}});
}

http::Response OperationsHandlers::Metrics(http::Request& request) {
  // Metrics name routes, volumes and failures: operators only (docs/security.md).
  bool allowed = context_.metrics_networks.Contains(request.client_address);
  if (!allowed && context_.config.metrics_token) {
    const auto& expected = *context_.config.metrics_token;
    auto token = BearerToken(request).value_or("");
    allowed = !expected.empty() && token.size() == expected.size() &&
              sodium_memcmp(token.data(), expected.data(), expected.size()) == 0;
  }
  if (!allowed)
    throw domain::Error(domain::ErrorKind::kForbidden, "FORBIDDEN",
                        "Metrics answer the operators' networks or the metrics token only.");
  prometheus::TextSerializer serializer;
  return http::Response::Text(200, serializer.Serialize(context_.registry.Collect()),
                              "text/plain; version=0.0.4; charset=utf-8");
}

std::string BuildOpenApiDocument(const std::vector<RouteDoc>& docs) {
  boost::json::object paths;
  for (const auto& doc : docs) {
    std::string method = doc.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    boost::json::object operation{{"summary", doc.summary}, {"tags", boost::json::array{doc.tag}}};
    boost::json::array parameters;
    for (size_t pos = 0; (pos = doc.pattern.find('{', pos)) != std::string::npos; ++pos) {
      auto end = doc.pattern.find('}', pos);
      parameters.push_back({{"name", doc.pattern.substr(pos + 1, end - pos - 1)},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
    }
    if (!parameters.empty()) operation["parameters"] = std::move(parameters);
    if (doc.auth) operation["security"] = boost::json::array{boost::json::object{{"bearerAuth", boost::json::array{}}}};
    boost::json::object responses{
        {"default", {{"description", "Success, or an RFC 9457 problem (application/problem+json)"}}}};
    operation["responses"] = std::move(responses);
    paths[doc.pattern].emplace_object()[method] = std::move(operation);
  }
  boost::json::object document{
      {"openapi", "3.1.0"},
      {"info", {{"title", "Pillivery API"}, {"version", PILLIVERY_VERSION},
                {"description", "Subscription store for Korean health functional foods."}}},
      {"paths", std::move(paths)},
      {"components",
       {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}}}},
  };
  return infra::ToJson(document);
}

http::Response OperationsHandlers::OpenApi(http::Request&) {
  return http::Response::Text(200, BuildOpenApiDocument(docs_), "application/json");
}

http::Response OperationsHandlers::Docs(http::Request&) {
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pillivery API</title>"
      "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{padding:.2em .8em}"
      "code{background:#f4f4f4}</style></head><body><h1>Pillivery API</h1>"
      "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1). Errors are RFC 9457 "
      "problem details with a stable <code>code</code>.</p><table><tr><th>method</th><th>path</th><th>auth</th>"
      "<th>what</th></tr>";
  for (const auto& doc : docs_) {
    html += "<tr><td>" + doc.method + "</td><td><code>" + doc.pattern + "</code></td><td>" +
            (doc.auth ? "bearer" : "") + "</td><td>" + doc.summary + "</td></tr>";
  }
  html += "</table></body></html>";
  return http::Response::Text(200, std::move(html), "text/html; charset=utf-8");
}

}  // namespace pillivery::api
