#include "http/middleware.hpp"

#include "domain/error.hpp"
#include "domain/user.hpp"
#include "infra/log.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <zlib.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <regex>
#include <sstream>

namespace pillivery::http {
namespace {

std::string Gunzip(const std::string& input) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  std::string output;
  char buffer[4096];
  int rc = Z_OK;
  while (rc == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    output.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  EXPECT_EQ(rc, Z_STREAM_END);
  return output;
}

Response Invoke(const Middleware& middleware, Request& request, Handler handler) {
  return middleware(request, handler);
}

std::string BigJson() {
  boost::json::array items;
  for (int i = 0; i < 200; ++i) items.push_back(boost::json::object{{"itemId", i}, {"name", "vitamin"}});
  return boost::json::serialize(boost::json::object{{"data", items}});
}

TEST(ProblemMiddleware, WhenDomainErrorHasFieldErrors_MapsToProblemJson) {
  Request request;
  auto response = Invoke(ProblemMiddleware(), request, [](Request&) -> Response {
    throw domain::Error::Validation({{"quantity", "must be positive"}, {"period", "unknown"}});
  });
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/problem+json");
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "VALIDATION_FAILED");
  EXPECT_EQ(body.at("title"), "Bad Request");
  EXPECT_EQ(body.at("status"), 400);
  EXPECT_EQ(body.at("type"), "https://pillivery.dev/problems/validation-failed");
  EXPECT_EQ(body.at("detail"), "The request has invalid fields.");
  EXPECT_EQ(body.at("errors"), boost::json::parse(R"([{"field":"quantity","reason":"must be positive"},
                                                       {"field":"period","reason":"unknown"}])"));
}

TEST(ProblemMiddleware, WhenNotFound_Uses404AndKindTitle) {
  Request request;
  auto response = Invoke(ProblemMiddleware(), request, [](Request&) -> Response {
    throw domain::Error(domain::ErrorCode::kItemNotFound, "No item 7.");
  });
  EXPECT_EQ(response.status, 404);
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("title"), "Not Found");
  EXPECT_EQ(body.at("detail"), "No item 7.");
  EXPECT_TRUE(body.at("errors").as_array().empty());
}

// Moved from tests/domain (ErrorKinds.MapToHttpStatusesAndTitles): the status of a kind is http's choice.
TEST(ErrorKinds, MapToHttpStatusesAndTitles) {
  using domain::ErrorKind;
  EXPECT_EQ(StatusOf(ErrorKind::kNotFound), 404);
  EXPECT_EQ(StatusOf(ErrorKind::kConflict), 409);
  EXPECT_EQ(StatusOf(ErrorKind::kUnprocessable), 422);
  EXPECT_EQ(StatusOf(ErrorKind::kRateLimited), 429);
  EXPECT_EQ(StatusOf(ErrorKind::kUnavailable), 503);
  EXPECT_EQ(StatusOf(ErrorKind::kUnauthorized), 401);
  EXPECT_EQ(StatusOf(ErrorKind::kForbidden), 403);
  EXPECT_EQ(StatusOf(ErrorKind::kPayloadTooLarge), 413);
  EXPECT_EQ(StatusOf(ErrorKind::kInternal), 500);
  EXPECT_STREQ(StatusTitle(StatusOf(ErrorKind::kBadRequest)), "Bad Request");
  EXPECT_STREQ(StatusTitle(StatusOf(ErrorKind::kUnprocessable)), "Unprocessable Content");
}

TEST(ProblemMiddleware, When401_AddsTheChallengeItWasGiven) {
  Request request;
  auto throw_401 = [](Request&) -> Response { throw domain::Error(domain::ErrorCode::kUnauthorized, "No token."); };
  auto response = Invoke(ProblemMiddleware({}, R"(Bearer realm="x")"), request, throw_401);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.HeaderValue("WWW-Authenticate").value_or(""), R"(Bearer realm="x")");
  auto without = Invoke(ProblemMiddleware(), request, throw_401);
  EXPECT_FALSE(without.HeaderValue("WWW-Authenticate"));
  auto forbidden = Invoke(ProblemMiddleware({}, "Bearer"), request,
                          [](Request&) -> Response { throw domain::Error(domain::ErrorCode::kForbidden, "No."); });
  EXPECT_FALSE(forbidden.HeaderValue("WWW-Authenticate"));
}

TEST(ProblemMiddleware, WhenTheErrorSaysWhenToComeBack_AddsRetryAfter) {
  Request request;
  auto response = Invoke(ProblemMiddleware(), request, [](Request&) -> Response {
    throw domain::RateLimitedError(domain::ErrorCode::kRateLimited, "Slow down.", 30);
  });
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(response.HeaderValue("Retry-After").value_or(""), "30");
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("code"), "RATE_LIMITED");
  EXPECT_EQ(body.at("title"), "Too Many Requests");
}

TEST(ProblemMiddleware, WhenTheTranslatorKnowsTheException_AnswersItsProblem) {
  Request request;
  auto unreachable = [](const std::exception& e) -> std::optional<domain::Error> {
    if (std::string(e.what()) != "gone away") return std::nullopt;
    return domain::Error(domain::ErrorCode::kDatabaseUnavailable, "The database does not answer.");
  };
  auto response = Invoke(ProblemMiddleware(unreachable), request,
                         [](Request&) -> Response { throw std::runtime_error("gone away"); });
  EXPECT_EQ(response.status, 503);
  EXPECT_NE(response.body.find("DATABASE_UNAVAILABLE"), std::string::npos);
  auto other = Invoke(ProblemMiddleware(unreachable), request,
                      [](Request&) -> Response { throw std::runtime_error("something else"); });
  EXPECT_EQ(other.status, 500);
}

TEST(ProblemMiddleware, WhenHandlerThrowsStdException_Answers500WithoutLeakingMessage) {
  std::ostringstream log;
  infra::SetLogStream(&log);
  Request request;
  request.request_id = "rid-1";
  auto response = Invoke(ProblemMiddleware(), request,
                         [](Request&) -> Response { throw std::runtime_error("db password is hunter2"); });
  infra::SetLogStream(nullptr);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(boost::json::parse(response.body).at("code"), "INTERNAL_ERROR");
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  EXPECT_NE(log.str().find("hunter2"), std::string::npos);  // the log keeps the cause
  EXPECT_NE(log.str().find("rid-1"), std::string::npos);
}

TEST(ProblemResponse, WhenCodeIsEmpty_UsesAboutBlank) {
  auto response = ProblemResponse(503, "", "down");
  auto body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("type"), "about:blank");
  EXPECT_EQ(body.at("title"), "Service Unavailable");
}

TEST(RequestIdMiddleware, WhenIncomingIdIsSane_EchoesIt) {
  Request request;
  request.headers = {{"x-request-id", "abc.DEF_12-3"}};
  std::string seen;
  auto response = Invoke(RequestIdMiddleware(), request, [&](Request& r) {
    seen = r.request_id;
    return Response::NoContent();
  });
  EXPECT_EQ(seen, "abc.DEF_12-3");
  EXPECT_EQ(response.HeaderValue("X-Request-Id").value_or(""), "abc.DEF_12-3");
}

TEST(RequestIdMiddleware, WhenIncomingIdIsMissingOrUnsafe_GeneratesHexId) {
  for (std::string incoming : {std::string(""), std::string("has space"), std::string(129, 'a'), std::string("a\"b")}) {
    Request request;
    if (!incoming.empty()) request.headers = {{"X-Request-Id", incoming}};
    auto response = Invoke(RequestIdMiddleware(), request, [](Request&) { return Response::NoContent(); });
    auto id = std::string(response.HeaderValue("X-Request-Id").value_or(""));
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << id;
    EXPECT_EQ(id, request.request_id);
  }
  EXPECT_NE(NewRequestId(), NewRequestId());
}

TEST(GzipMiddleware, WhenAcceptedAndLargeJson_CompressesAndSetsHeaders) {
  Request request;
  request.headers = {{"Accept-Encoding", "br, gzip;q=0.5"}};
  auto json = BigJson();
  ASSERT_GT(json.size(), 1024u);
  auto response =
      Invoke(GzipMiddleware(), request, [&](Request&) { return Response::Text(200, json, "application/json"); });
  EXPECT_EQ(response.HeaderValue("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(response.HeaderValue("Vary").value_or(""), "Accept-Encoding");
  EXPECT_LT(response.body.size(), json.size());
  EXPECT_EQ(Gunzip(response.body), json);
}

TEST(GzipMiddleware, WhenNotAcceptedSmallOrNotText_LeavesBodyAlone) {
  auto json = BigJson();
  struct Case {
    std::string accept;
    std::string body;
    std::string content_type;
  };
  for (const auto& c :
       {Case{"gzip;q=0", json, "application/json"}, Case{"", json, "application/json"},
        Case{"identity", json, "application/json"}, Case{"gzip", std::string(1024, 'x'), "application/json"},
        Case{"gzip", json, "image/png"}, Case{"gzip", json, "application/octet-stream"}}) {
    Request request;
    if (!c.accept.empty()) request.headers = {{"Accept-Encoding", c.accept}};
    auto response =
        Invoke(GzipMiddleware(), request, [&](Request&) { return Response::Text(200, c.body, c.content_type); });
    EXPECT_FALSE(response.HeaderValue("Content-Encoding").has_value()) << c.accept;
    EXPECT_EQ(response.body, c.body);
  }
}

// The web app's files (web/dist) are text too: HTML, scripts, styles, SVG.
TEST(GzipMiddleware, CompressesTheWebAppsTextFiles) {
  auto body = BigJson();
  for (const char* type :
       {"text/html; charset=utf-8", "text/javascript; charset=utf-8", "text/css; charset=utf-8", "image/svg+xml"}) {
    Request request;
    request.headers = {{"Accept-Encoding", "gzip"}};
    auto response = Invoke(GzipMiddleware(), request, [&](Request&) { return Response::Text(200, body, type); });
    EXPECT_EQ(response.HeaderValue("Content-Encoding"), "gzip") << type;
    EXPECT_LT(response.body.size(), body.size()) << type;
  }
}

TEST(GzipMiddleware, WhenProblemJsonIsLarge_CompressesIt) {
  Request request;
  request.headers = {{"accept-encoding", "GZIP"}};
  std::vector<std::pair<std::string, std::string>> errors(60, {"field", "reason is long enough"});
  auto response = Invoke(GzipMiddleware(), request,
                         [&](Request&) { return ProblemResponse(400, "VALIDATION_FAILED", "bad", errors); });
  EXPECT_EQ(response.HeaderValue("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(boost::json::parse(Gunzip(response.body)).at("code"), "VALIDATION_FAILED");
}

TEST(MetricsMiddleware, LabelsByRouteTemplateNotRawPath) {
  prometheus::Registry registry;
  auto metrics = MetricsMiddleware(registry);
  for (std::string id : {"1", "2", "3"}) {
    Request request;
    request.method = "GET";
    request.path = "/api/items/" + id;
    request.route = "/api/items/{id}";
    Invoke(metrics, request, [](Request&) { return Response::Text(200, "{}", "application/json"); });
  }
  Request unmatched;
  unmatched.method = "BREW";
  unmatched.path = "/teapot";
  Invoke(metrics, unmatched, [](Request&) { return Response::Text(404, "", "text/plain"); });

  bool saw_template = false;
  bool saw_unmatched = false;
  for (const auto& family : registry.Collect()) {
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> labels;
      for (const auto& label : metric.label) labels[label.name] = label.value;
      EXPECT_EQ(labels["route"].find("/api/items/1"), std::string::npos);
      if (family.name == "http_requests_total" && labels["route"] == "/api/items/{id}") {
        saw_template = true;
        EXPECT_EQ(labels["status"], "200");
        EXPECT_EQ(labels["method"], "GET");
        EXPECT_EQ(metric.counter.value, 3);
      }
      if (family.name == "http_requests_total" && labels["route"] == "unmatched") {
        saw_unmatched = true;
        EXPECT_EQ(labels["method"], "OTHER");
      }
      if (family.name == "http_request_duration_seconds" && labels["route"] == "/api/items/{id}") {
        EXPECT_EQ(metric.histogram.sample_count, 3u);
      }
    }
  }
  EXPECT_TRUE(saw_template);
  EXPECT_TRUE(saw_unmatched);
}

TEST(AccessLogMiddleware, LogsOneLineWithoutHeadersOrBody) {
  std::ostringstream log;
  infra::SetLogStream(&log);
  Request request;
  request.method = "POST";
  request.path = "/api/auth/login";
  request.route = "/api/auth/login";
  request.request_id = "rid-9";
  request.peer_address = "127.0.0.1";
  request.headers = {{"Authorization", "Bearer secret-token"}};
  request.body = R"({"password":"pw-secret"})";
  Invoke(AccessLogMiddleware(), request, [](Request&) { return Response::Text(201, "{}", "application/json"); });
  infra::SetLogStream(nullptr);
  auto text = log.str();
  ASSERT_FALSE(text.empty());
  auto line = boost::json::parse(text.substr(0, text.find('\n'))).as_object();
  EXPECT_EQ(line.at("msg"), "request");
  EXPECT_EQ(line.at("status"), 201);
  EXPECT_EQ(line.at("route"), "/api/auth/login");
  EXPECT_EQ(line.at("request_id"), "rid-9");
  EXPECT_EQ(line.at("peer"), "127.0.0.1");
  EXPECT_TRUE(line.contains("duration_ms"));
  EXPECT_EQ(text.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace pillivery::http
