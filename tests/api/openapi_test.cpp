// The OpenAPI document: one entry per route of the route table, built from the
// fragments in src/api/openapi/, served at /openapi.json and rendered at /docs.
#include <gtest/gtest.h>

#include "api/openapi_document.hpp"
#include "api/operations_handlers.hpp"
#include "api/routes.hpp"
#include "domain/error.hpp"
#include "http/middleware.hpp"
#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

using api::RouteKey;

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

// The server under test has every route: a route that exists only under a setting gets it turned on here.
class OpenApiTest : public ApiTest {
 protected:
  void Configure(infra::Config& config) override { config.test_clock = true; }
};

// The guard that keeps the document complete: every route the server answers has an
// entry keyed "METHOD /path", and every entry has a route. The message names each gap.
TEST_P(OpenApiTest, EveryRouteHasAnEntryAndEveryEntryARoute) {
  auto routes = app_->Routes();
  ASSERT_GT(routes.size(), 40u);
  auto gaps = api::DocumentationGaps(routes);
  EXPECT_TRUE(gaps.empty()) << "The route table and src/api/openapi/operations/ disagree:" << Join(gaps);
}

TEST_P(OpenApiTest, ServedDocumentIsTheCompiledOneWithEveryOperationComplete) {
  auto r = Get("/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "application/json");
  auto doc = Json(r).as_object();
  EXPECT_EQ(doc, api::OpenApiDocument());
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_EQ(doc.at("info").at("version").as_string(), PILLIVERY_VERSION);
  EXPECT_FALSE(doc.contains("x-common-problems"));  // builder inputs do not leak out
  std::size_t operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, value] : item.as_object()) {
      const auto& op = value.as_object();
      std::string where = std::string(method) + " " + std::string(path);
      ++operations;
      EXPECT_TRUE(op.contains("operationId")) << where;
      EXPECT_TRUE(op.contains("summary")) << where;
      EXPECT_TRUE(op.contains("security")) << where;
      EXPECT_FALSE(op.contains("x-problems")) << where;
      const auto& responses = op.at("responses").as_object();
      bool success = false;
      for (const auto& [status, response] : responses)
        success = success || status.starts_with("2") || status.starts_with("3");
      EXPECT_TRUE(success) << where << " declares no success";
      EXPECT_TRUE(responses.contains("500")) << where;  // the document-wide problems reach every operation
      if (!op.at("security").as_array().empty() && path.starts_with("/api/")) {
        EXPECT_TRUE(responses.contains("401")) << where << " needs a token but declares no 401";
      }
    }
  }
  EXPECT_EQ(operations, app_->Routes().size());
}

TEST_P(OpenApiTest, ProblemResponsesNameTheirCodesWithExamples) {
  const auto& place = api::OpenApiDocument().at("paths").at("/api/orders").at("post").as_object();
  const auto& conflict = place.at("responses").at("409").at("content").at("application/problem+json").as_object();
  const auto& codes = conflict.at("schema").at("allOf").at(1).at("properties").at("code").at("enum").as_array();
  EXPECT_NE(std::find(codes.begin(), codes.end(), boost::json::value("OUT_OF_STOCK")), codes.end());
  EXPECT_EQ(conflict.at("examples").at("OUT_OF_STOCK").at("value").at("type").as_string(),
            "https://pillivery.dev/problems/out-of-stock");
  // The body problems are added to operations with a body only.
  EXPECT_TRUE(place.at("responses").as_object().contains("413"));
  const auto& get = api::OpenApiDocument().at("paths").at("/api/orders").at("get").as_object();
  EXPECT_FALSE(get.at("responses").as_object().contains("413"));
  // 401 carries its challenge header.
  EXPECT_TRUE(get.at("responses").at("401").as_object().contains("headers"));
}

TEST_P(OpenApiTest, DocsPageServesTheReferenceOrSaysHowToBuildIt) {
  auto page = Get("/docs");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  bool built = false;
  for (std::size_t i = 0; i < embedded::kDocsViewerCount; ++i)
    built = built || embedded::kDocsViewer[i].name == "redoc.standalone.js";
  if (built) {
    EXPECT_NE(page.body.find("spec-url=\"/openapi.json\""), std::string::npos);
    auto script = Get("/docs/redoc.standalone.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.Header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_GT(script.body.size(), 100'000u);
  } else {
    EXPECT_NE(page.body.find("npm run build"), std::string::npos);
    EXPECT_NE(page.body.find("/api/orders/{id}/payment"), std::string::npos);
  }
  auto missing = Get("/docs/nothing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json(missing).at("code").as_string(), "DOCS_ASSET_NOT_FOUND");
}

// What /docs serves when tools/api's npm build has not run: still every operation, and how to build the viewer.
TEST(OpenApiDocsPage, WithoutTheViewer_ListsEveryOperationAndSaysHowToBuildIt) {
  auto page = api::PlainDocsPage();
  EXPECT_NE(page.find("npm ci &amp;&amp; npm run build"), std::string::npos);
  EXPECT_NE(page.find("href=\"/openapi.json\""), std::string::npos);
  std::size_t rows = 0;
  for (std::size_t at = 0; (at = page.find("<tr><td>", at)) != std::string::npos; ++at) ++rows;
  std::size_t operations = 0;
  for (const auto& [path, item] : api::OpenApiDocument().at("paths").as_object()) operations += item.as_object().size();
  EXPECT_EQ(rows, operations);
  EXPECT_NE(page.find("<td>POST</td><td><code>/api/orders/{id}/payment</code></td><td>bearerAuth</td>"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, OpenApiTest, ::testing::ValuesIn(Engines()));

// The code table (domain/error.cpp) and the catalogue (problems.json) agree: a
// documented code answers with the status of its kind.
TEST(OpenApiErrorCodes, EveryCataloguedCodeHasTheStatusOfItsKind) {
  const auto& catalogue = api::OpenApiDocument().at("x-problem-codes").as_object();
  int documented = 0;
  for (const auto& row : domain::ErrorCodeTable()) {
    EXPECT_EQ(domain::InfoOf(row.code).text, row.text);
    const auto* entry = catalogue.if_contains(row.text);
    if (!entry) continue;
    ++documented;
    EXPECT_EQ(entry->at("status").to_number<int>(), http::StatusOf(row.kind)) << row.text;
  }
  EXPECT_GT(documented, 50);
}

// Each operation's security is its route's Access: the table both enforces and documents it.
TEST(OpenApiRouteAccess, EveryOperationsSecurityIsItsRoutesAccess) {
  const auto& paths = api::OpenApiDocument().at("paths").as_object();
  const boost::json::array kBearer{boost::json::object{{"bearerAuth", boost::json::array{}}}};
  const boost::json::array kInternalToken{boost::json::object{{"internalToken", boost::json::array{}}}};
  int checked = 0;
  for (const auto& route : api::RouteTable()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto& security = paths.at(route.pattern).at(method).at("security").as_array();
    switch (route.access) {
      case api::Access::kPublic:
        EXPECT_TRUE(security.empty()) << route.pattern;
        break;
      case api::Access::kUser:
      case api::Access::kAdmin:
        EXPECT_EQ(security, kBearer) << route.pattern;
        break;
      case api::Access::kInternal:
        EXPECT_EQ(security, kInternalToken) << route.pattern;
        break;
    }
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

// The builder's own rules, on fragments made here.
embedded::File Fragment(std::string_view name, std::string_view content) { return {name, content}; }

constexpr std::string_view kDocument = R"({"openapi":"3.1.0","info":{"title":"t","version":"x"},
  "x-common-problems":{"500":["INTERNAL_ERROR"]},"x-body-problems":{"413":["PAYLOAD_TOO_LARGE"]}})";
constexpr std::string_view kProblems = R"({"x-problem-codes":{"INTERNAL_ERROR":{"status":500,"description":"bug"},
  "PAYLOAD_TOO_LARGE":{"status":413,"description":"big"},"THING_NOT_FOUND":{"status":404,"description":"no thing"}}})";

TEST(OpenApiBuilder, ExpandsProblemsAndFindsGapsBothWays) {
  std::vector<embedded::File> files{
      Fragment("document.json", kDocument), Fragment("problems.json", kProblems),
      Fragment(
          "operations/things.json",
          R"({"GET /things/{id}":{"responses":{"200":{"description":"ok"}},"x-problems":{"404":["THING_NOT_FOUND"]}},
                   "POST /things":{"requestBody":{"content":{}},"responses":{"201":{"description":"ok"}}}})")};
  auto doc = api::BuildOpenApiDocument(files, "1.2.3");
  EXPECT_EQ(doc.at("info").at("version").as_string(), "1.2.3");
  const auto& get = doc.at("paths").at("/things/{id}").at("get").as_object();
  EXPECT_TRUE(get.at("responses").as_object().contains("404"));
  EXPECT_TRUE(get.at("responses").as_object().contains("500"));
  EXPECT_FALSE(get.at("responses").as_object().contains("413"));
  EXPECT_TRUE(doc.at("paths").at("/things").at("post").at("responses").as_object().contains("413"));

  auto secured = api::BuildOpenApiDocument(files, "1", {{{"GET", "/things/{id}"}, api::Access::kAdmin}});
  const auto& secured_get = secured.at("paths").at("/things/{id}").at("get").as_object();
  EXPECT_EQ(secured_get.begin()->key(), "security");  // before the responses, where an author writes it
  EXPECT_FALSE(secured.at("paths").at("/things").at("post").as_object().contains("security"));

  auto gaps = api::DocumentationGaps({{"GET", "/things/{id}"}, {"DELETE", "/things/{id}"}}, files);
  ASSERT_EQ(gaps.size(), 2u) << Join(gaps);
  EXPECT_EQ(gaps[0], "route DELETE /things/{id} (src/api/routes.cpp) has no entry in src/api/openapi/operations/");
  EXPECT_EQ(gaps[1], "entry POST /things (src/api/openapi/operations/things.json) has no route in src/api/routes.cpp");
}

TEST(OpenApiBuilder, RefusesMalformedSourcesNamingTheFragment) {
  auto fails_with = [](std::vector<embedded::File> files, const std::string& words) {
    try {
      api::BuildOpenApiDocument(files, "1");
      ADD_FAILURE() << "built despite: " << words;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  auto doc = Fragment("document.json", kDocument);
  auto problems = Fragment("problems.json", kProblems);
  fails_with({doc, problems, Fragment("operations/a.json", "{not json")}, "operations/a.json: not valid JSON");
  fails_with({doc, problems, Fragment("operations/a.json", R"({"FETCH /x":{"responses":{}}})")},
             "\"FETCH /x\" is not \"METHOD /path\"");
  fails_with({doc, problems, Fragment("operations/a.json", R"({"GET /x":{"responses":{"200":{}}}})"),
              Fragment("operations/b.json", R"({"GET /x":{"responses":{"200":{}}}})")},
             "GET /x is also defined in operations/a.json");
  fails_with({doc, problems,
              Fragment("operations/a.json", R"({"GET /x":{"responses":{"200":{}},"x-problems":{"404":["NOPE"]}}})")},
             "problem code NOPE is not in x-problem-codes");
  fails_with({doc, problems,
              Fragment("operations/a.json",
                       R"({"GET /x":{"responses":{"200":{}},"x-problems":{"409":["THING_NOT_FOUND"]}}})")},
             "catalogued with another");
  fails_with({doc, problems, Fragment("more.json", R"({"openapi":"3.0.0"})")}, "/openapi is defined twice");
  try {
    std::vector<embedded::File> files{
        doc, problems, Fragment("operations/a.json", R"({"GET /x":{"security":[],"responses":{"200":{}}}})")};
    api::BuildOpenApiDocument(files, "1", {{{"GET", "/x"}, api::Access::kPublic}});
    ADD_FAILURE() << "built a fragment that declares the security its route's Access gives";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("comes from the route's Access"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pillivery::testing
