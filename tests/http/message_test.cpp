#include "http/message.hpp"
#include "http/server.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <cmath>

namespace pillivery::http {
namespace {

TEST(Message, HeaderValue_IgnoresNameCase) {
  Request request;
  request.headers = {{"Content-Type", "application/json"}, {"X-Request-Id", "abc"}};
  EXPECT_EQ(request.HeaderValue("content-type").value_or(""), "application/json");
  EXPECT_EQ(request.HeaderValue("X-REQUEST-ID").value_or(""), "abc");
  EXPECT_FALSE(request.HeaderValue("Accept").has_value());
}

TEST(Message, QueryValueAndPathParam_ReturnFirstExactMatch) {
  Request request;
  request.query = {{"page", "2"}, {"page", "3"}, {"Size", "5"}};
  request.path_params = {{"id", "9"}};
  EXPECT_EQ(request.QueryValue("page").value_or(""), "2");
  EXPECT_FALSE(request.QueryValue("size").has_value());
  EXPECT_EQ(request.PathParam("id").value_or(""), "9");
  EXPECT_FALSE(request.PathParam("other").has_value());
}

TEST(Message, Data_WrapsValueInDataObject) {
  auto response = Response::Data(201, boost::json::object{{"itemId", 1}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(boost::json::parse(response.body), boost::json::parse(R"({"data":{"itemId":1}})"));
}

// Not Boost.JSON's 4.02E0: plain decimals, in Json, Data and the problems built on Json.
TEST(Message, JsonAndData_WriteDoublesAsPlainDecimals) {
  auto json = Response::Json(200, boost::json::object{{"starAvg", 4.02}, {"discountRate", 12.5}, {"zero", 0.0}});
  EXPECT_EQ(json.body, R"({"starAvg":4.02,"discountRate":12.5,"zero":0.0})");
  EXPECT_EQ(Response::Data(200, boost::json::array{4.5, -3.5, 1e300, std::nan("")}).body,
            R"({"data":[4.5,-3.5,1e+300,null]})");
  EXPECT_EQ(Response::Data(200, "루테인").body, R"({"data":"루테인"})");
}

TEST(Message, HelpersSetStatusAndHeaders) {
  auto redirect = Response::Redirect("/elsewhere");
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.HeaderValue("location").value_or(""), "/elsewhere");
  EXPECT_EQ(Response::NoContent().status, 204);
  auto text = Response::Text(200, "hi", "text/plain");
  EXPECT_EQ(text.body, "hi");
  EXPECT_EQ(text.content_type, "text/plain");
}

TEST(Message, SetHeader_ReplacesExistingIgnoringCase) {
  Response response;
  response.SetHeader("Vary", "Origin");
  response.SetHeader("vary", "Accept-Encoding");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "Accept-Encoding");
}

TEST(Message, IEquals_ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(IEquals("Content-Length", "content-length"));
  EXPECT_FALSE(IEquals("abc", "abcd"));
  EXPECT_FALSE(IEquals("abc", "abd"));
}

TEST(ParseRequest, WhenTargetIsEncoded_DecodesPathAndQuery) {
  auto parsed = ParseRequest("GET /api/items/a%20b?q=vitamin+c&name=%EA%B9%80&flag HTTP/1.1\r\nHost: x\r\n\r\n", {});
  ASSERT_TRUE(parsed.complete);
  EXPECT_EQ(parsed.request.method, "GET");
  EXPECT_EQ(parsed.request.path, "/api/items/a b");
  EXPECT_EQ(parsed.request.QueryValue("q").value_or(""), "vitamin c");
  EXPECT_EQ(parsed.request.QueryValue("name").value_or(""), "\xEA\xB9\x80");
  EXPECT_TRUE(parsed.request.QueryValue("flag").has_value());
  EXPECT_EQ(parsed.request.HeaderValue("host").value_or(""), "x");
}

TEST(ParseRequest, WhenInputIsBad_ReportsTheStatusASessionWouldAnswer) {
  ServerOptions options;
  options.body_limit = 10;
  options.header_limit = 100;
  EXPECT_EQ(ParseRequest("NOT HTTP\r\n\r\n", options).error_status, 400);
  EXPECT_EQ(ParseRequest("GET http://evil/x HTTP/1.1\r\n\r\n", options).error_status, 400);
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", options).error_status, 413);
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\nX: " + std::string(200, 'a') + "\r\n\r\n", options).error_status, 431);
  auto partial = ParseRequest("GET / HTTP/1.1\r\nHost:", options);
  EXPECT_FALSE(partial.complete);
  EXPECT_EQ(partial.error_status, 0);
}

}  // namespace
}  // namespace pillivery::http
