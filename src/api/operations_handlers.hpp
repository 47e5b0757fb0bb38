#pragma once
#include "api/api_context.hpp"
#include "http/message.hpp"

#include <string>
#include <vector>

namespace pillivery::api {

// One documented route, as listed in the route table and the OpenAPI document.
struct RouteDoc {
  std::string method;
  std::string pattern;
  std::string tag;
  std::string summary;
  bool auth = false;
};

class OperationsHandlers {
 public:
  OperationsHandlers(ApiContext& context, std::vector<RouteDoc> docs) : context_(context), docs_(std::move(docs)) {}

  http::Response Live(http::Request& request);
  http::Response Ready(http::Request& request);
  http::Response Metrics(http::Request& request);
  http::Response OpenApi(http::Request& request);
  http::Response Docs(http::Request& request);

 private:
  ApiContext& context_;
  std::vector<RouteDoc> docs_;
};

// The OpenAPI 3.1 document built from the route table.
std::string BuildOpenApiDocument(const std::vector<RouteDoc>& docs);

}  // namespace pillivery::api
