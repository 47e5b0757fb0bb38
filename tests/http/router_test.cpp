#include "http/router.hpp"
#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace pillivery::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name, "text/plain"); };
}

Request MakeRequest(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

TEST(Router, Find_WhenExactAndParamRoutesBothMatch_PrefersExact) {
  Router router;
  router.Add("GET", "/api/items/{id}", Named("by-id"));
  router.Add("GET", "/api/items/main", Named("main"));

  auto exact = router.Find("GET", "/api/items/main");
  ASSERT_NE(exact.handler, nullptr);
  EXPECT_EQ(exact.route, "/api/items/main");
  EXPECT_TRUE(exact.params.empty());

  auto param = router.Find("GET", "/api/items/42");
  ASSERT_NE(param.handler, nullptr);
  EXPECT_EQ(param.route, "/api/items/{id}");
  ASSERT_EQ(param.params.size(), 1u);
  EXPECT_EQ(param.params[0], (std::pair<std::string, std::string>{"id", "42"}));
}

TEST(Router, Find_WhenSeveralParams_CapturesEachInOrder) {
  Router router;
  router.Add("PATCH", "/api/carts/{cartId}/lines/{itemId}", Named("line"), Execution::kInline);
  auto match = router.Find("PATCH", "/api/carts/7/lines/99");
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(match.execution, Execution::kInline);
  ASSERT_EQ(match.params.size(), 2u);
  EXPECT_EQ(match.params[0].first, "cartId");
  EXPECT_EQ(match.params[0].second, "7");
  EXPECT_EQ(match.params[1].first, "itemId");
  EXPECT_EQ(match.params[1].second, "99");
}

TEST(Router, Find_WhenOnlyTheMethodDiffers_ReportsAllowedMethods) {
  Router router;
  router.Add("GET", "/api/items/{id}", Named("get"));
  router.Add("DELETE", "/api/items/{id}", Named("delete"));
  auto match = router.Find("POST", "/api/items/1");
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_TRUE(match.path_known);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "HEAD", "DELETE"}));
}

TEST(Router, Find_WhenSegmentCountOrEmptyParamDiffers_DoesNotMatch) {
  Router router;
  router.Add("GET", "/api/items/{id}", Named("get"));
  EXPECT_FALSE(router.Find("GET", "/api/items").path_known);
  EXPECT_FALSE(router.Find("GET", "/api/items/").path_known);
  EXPECT_FALSE(router.Find("GET", "/api/items/1/x").path_known);
  EXPECT_FALSE(router.Find("GET", "").path_known);
}

TEST(Router, Find_WhenHeadHasNoRoute_FallsBackToGet) {
  Router router;
  router.Add("GET", "/health/live", Named("live"));
  auto match = router.Find("HEAD", "/health/live");
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(match.route, "/health/live");
}

TEST(Router, Dispatch_WhenMatched_SetsRouteAndParams) {
  Router router;
  router.Add("GET", "/api/items/{id}", [](Request& request) {
    return Response::Text(200, std::string(request.PathParam("id").value_or("?")), "text/plain");
  });
  auto request = MakeRequest("GET", "/api/items/abc");
  auto response = router.Dispatch(request);
  EXPECT_EQ(response.body, "abc");
  EXPECT_EQ(request.route, "/api/items/{id}");
}

TEST(Router, Dispatch_WhenNothingMatches_Answers404Problem) {
  Router router;
  router.Add("GET", "/a", Named("a"));
  auto request = MakeRequest("GET", "/nope");
  auto response = router.Dispatch(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(boost::json::parse(response.body).at("code"), "ROUTE_NOT_FOUND");
  EXPECT_EQ(request.route, "unmatched");
}

TEST(Router, Dispatch_WhenMethodIsWrong_Answers405WithAllow) {
  Router router;
  router.Add("POST", "/api/orders", Named("create"));
  router.Add("GET", "/api/orders", Named("list"));
  auto request = MakeRequest("PUT", "/api/orders");
  auto response = router.Dispatch(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(boost::json::parse(response.body).at("code"), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(response.HeaderValue("allow").value_or(""), "POST, GET, HEAD");
}

}  // namespace
}  // namespace pillivery::http

namespace pillivery::http {
namespace {

TEST(Router, Fallback_AnswersOnlyGetAndHeadOfUnknownPaths) {
  Router router;
  router.Add("GET", "/api/items", [](Request&) { return Response::Text(200, "items", "text/plain"); });
  router.Add("POST", "/api/orders", [](Request&) { return Response::Text(201, "order", "text/plain"); });
  router.SetFallback("static", [](Request&) { return Response::Text(200, "app", "text/html"); });
  auto app = router.Find("GET", "/items/3");
  ASSERT_NE(app.handler, nullptr);
  EXPECT_EQ(app.route, "static");
  EXPECT_NE(router.Find("HEAD", "/").handler, nullptr);
  EXPECT_EQ(router.Find("GET", "/api/items").route, "/api/items");  // routes win
  EXPECT_EQ(router.Find("POST", "/items/3").handler, nullptr);      // only GET and HEAD
  auto known = router.Find("GET", "/api/orders");                   // a known path keeps its 405
  EXPECT_EQ(known.handler, nullptr);
  EXPECT_TRUE(known.path_known);
}

TEST(StaticFiles, KnowsViteHashedAssetsAndContentTypes) {
  EXPECT_TRUE(StaticFiles::IsHashedAsset("assets/index-_9BQCp2u.js"));
  EXPECT_TRUE(StaticFiles::IsHashedAsset("assets/OpsPage-H-0Fo6aN.js"));
  EXPECT_TRUE(StaticFiles::IsHashedAsset("assets/index-DUP7YdkA.css"));
  EXPECT_FALSE(StaticFiles::IsHashedAsset("index.html"));
  EXPECT_FALSE(StaticFiles::IsHashedAsset("assets/logo.svg"));
  EXPECT_FALSE(StaticFiles::IsHashedAsset("robots-abcdefgh.txt"));
  EXPECT_EQ(StaticFiles::ContentTypeOf("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("x.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentTypeOf("x.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeOf("noext"), "application/octet-stream");
}

}  // namespace
}  // namespace pillivery::http
