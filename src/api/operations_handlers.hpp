#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

namespace pillivery::api {

// Health, metrics, the OpenAPI document and its reference page.
class OperationsHandlers {
 public:
  explicit OperationsHandlers(ApiContext& context);

  http::Response Live(http::Request& request);
  http::Response Ready(http::Request& request);
  http::Response Metrics(http::Request& request);
  http::Response OpenApi(http::Request& request);
  // The interactive reference (Redoc, compiled in from tools/api/dist), or, when that npm
  // build has not run, a plain page listing every operation and saying how to build it.
  http::Response Docs(http::Request& request);
  http::Response DocsAsset(http::Request& request);

 private:
  ApiContext& context_;
};

// The /docs page of a server built without the viewer: every operation, and how to build it.
std::string PlainDocsPage();

}  // namespace pillivery::api
