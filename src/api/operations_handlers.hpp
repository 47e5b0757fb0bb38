#pragma once
#include "api/readiness.hpp"
#include "http/message.hpp"
#include "infra/cidr.hpp"
#include "storage/database.hpp"

#include <prometheus/registry.h>

#include <optional>
#include <string>

namespace pillivery::api {

// Health, metrics, the OpenAPI document and its reference page.
class OperationsHandlers {
 public:
  // metrics_networks / metrics_token: who may read /metrics (docs/security.md).
  OperationsHandlers(storage::Database& database, const Readiness& readiness, prometheus::Registry& registry,
                     infra::NetworkList metrics_networks, std::optional<std::string> metrics_token);

  http::Response Live(http::Request& request);
  http::Response Ready(http::Request& request);
  http::Response Metrics(http::Request& request);
  http::Response OpenApi(http::Request& request);
  // The interactive reference (Redoc, compiled in from tools/api/dist), or, when that npm
  // build has not run, a plain page listing every operation and saying how to build it.
  http::Response Docs(http::Request& request);
  http::Response DocsAsset(http::Request& request);

 private:
  storage::Database& database_;
  const Readiness& readiness_;
  prometheus::Registry& registry_;
  infra::NetworkList metrics_networks_;
  std::optional<std::string> metrics_token_;
};

// The /docs page of a server built without the viewer: every operation, and how to build it.
std::string PlainDocsPage();

}  // namespace pillivery::api
