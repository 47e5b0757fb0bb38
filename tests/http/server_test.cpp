#include "http/server.hpp"

#include "domain/error.hpp"
#include "http/middleware.hpp"
#include "infra/log.hpp"
#include "raw_client.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <zlib.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <any>
#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace pillivery::http {
namespace {

using testing::Get;
using testing::RawClient;
using namespace std::chrono_literals;

// A server on an ephemeral port, stopped when the test ends.
class ServerUnderTest {
 public:
  ServerUnderTest(const Router& router, std::vector<Middleware> chain = {}, ServerOptions options = DefaultOptions())
      : server_(Tuned(options), router, std::move(chain)) {
    port_ = server_.Start();
  }
  ~ServerUnderTest() { server_.Stop(); }
  static ServerOptions DefaultOptions() { return ServerOptions{}; }
  std::uint16_t Port() const { return port_; }
  Server& Get() { return server_; }

 private:
  static ServerOptions Tuned(ServerOptions options) {
    options.port = 0;
    if (options.worker_threads == ServerOptions{}.worker_threads) options.worker_threads = 4;
    return options;
  }
  Server server_;
  std::uint16_t port_ = 0;
};

std::vector<Middleware> FullChain(prometheus::Registry& registry) {
  return {RequestIdMiddleware(), AccessLogMiddleware(), MetricsMiddleware(registry), ProblemMiddleware(),
          GzipMiddleware()};
}

// Keeps the suite's output readable; the access log has its own test.
class Quiet : public ::testing::Test {
 protected:
  void SetUp() override { infra::SetLogStream(&log_); }
  void TearDown() override { infra::SetLogStream(nullptr); }
  std::ostringstream log_;
};

using Server_ = Quiet;

std::string Gunzip(const std::string& input) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
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
  return rc == Z_STREAM_END ? output : "<corrupt>";
}

Response Echo(Request& request) {
  boost::json::object query;
  for (const auto& [key, value] : request.query) query[key] = value;
  boost::json::object params;
  for (const auto& [key, value] : request.path_params) params[key] = value;
  return Response::Data(200, boost::json::object{{"path", request.path},
                                                 {"route", request.route},
                                                 {"query", query},
                                                 {"params", params},
                                                 {"peer", request.peer_address},
                                                 {"client", request.client_address},
                                                 {"body", request.body}});
}

TEST_F(Server_, WhenRouteHasParams_HandlerSeesDecodedPathQueryAndParams) {
  Router router;
  router.Add("GET", "/api/items/{id}", Echo, Execution::kInline);
  router.Add("GET", "/api/items/main", [](Request&) { return Response::Data(200, "main"); });
  ServerUnderTest server(router);
  RawClient client(server.Port());

  client.Send(Get("/api/items/42?name=vitamin%20c&tag=a+b"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("server"), "pillivery");
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_EQ(response->Header("content-length"), std::to_string(response->body.size()));
  auto data = boost::json::parse(response->body).at("data");
  EXPECT_EQ(data.at("path"), "/api/items/42");
  EXPECT_EQ(data.at("route"), "/api/items/{id}");
  EXPECT_EQ(data.at("params").at("id"), "42");
  EXPECT_EQ(data.at("query").at("name"), "vitamin c");
  EXPECT_EQ(data.at("query").at("tag"), "a b");
  EXPECT_EQ(data.at("peer"), "127.0.0.1");

  client.Send(Get("/api/items/main"));
  response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(boost::json::parse(response->body).at("data"), "main");
}

TEST_F(Server_, WhenFastPathAnswers_HandlerDoesNotRunButMiddlewareDoes) {
  Router router;
  std::atomic<int> handler_runs{0};
  std::thread::id io_thread;
  router.Add(
      "GET", "/api/items/{id}",
      [&](Request&) {
        ++handler_runs;
        return Response::Data(200, "from handler");
      },
      Execution::kBlocking,
      [&](Request& request) -> std::optional<Response> {
        io_thread = std::this_thread::get_id();
        if (request.PathParam("id") == "1") return Response::Data(200, "from cache");
        if (request.PathParam("id") == "2") throw std::runtime_error("cache broke");
        return std::nullopt;
      });
  prometheus::Registry registry;
  ServerUnderTest server(router, FullChain(registry));
  RawClient client(server.Port());

  client.Send(Get("/api/items/1"));
  auto hit = client.Read();
  ASSERT_TRUE(hit);
  EXPECT_EQ(boost::json::parse(hit->body).at("data"), "from cache");
  EXPECT_FALSE(hit->Header("x-request-id").empty());  // the chain ran around the fast answer
  EXPECT_EQ(handler_runs.load(), 0);

  // A miss and a failing fast path both fall through to the handler.
  for (const char* id : {"3", "2"}) {
    client.Send(Get(std::string("/api/items/") + id));
    auto miss = client.Read();
    ASSERT_TRUE(miss);
    EXPECT_EQ(boost::json::parse(miss->body).at("data"), "from handler");
  }
  EXPECT_EQ(handler_runs.load(), 2);
  EXPECT_NE(io_thread, std::this_thread::get_id());
}

TEST_F(Server_, WhenFastPathAsksForADelay_HandlersRunAfterItWithoutHoldingAWorker) {
  Router router;
  router.Add(
      "POST", "/slow",
      [](Request& request) { return Response::Data(200, std::any_cast<std::string>(request.route_state).c_str()); },
      Execution::kBlocking,
      [](Request& request) -> std::optional<Response> {
        request.route_state = "prepared " + request.body;  // decided once, before the wait
        request.delay = 300ms;
        return std::nullopt;
      });
  ServerOptions options;
  options.worker_threads = 1;
  ServerUnderTest server(router, {}, options);

  // Eight requests on one worker: a worker held during the wait would need 8 × 300 ms.
  constexpr int kClients = 8;
  std::vector<std::unique_ptr<RawClient>> clients;
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < kClients; ++i) {
    std::string body = "call-" + std::to_string(i);
    clients.push_back(std::make_unique<RawClient>(server.Port()));
    clients.back()->Send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                         "\r\n\r\n" + body);
  }
  for (int i = 0; i < kClients; ++i) {
    auto response = clients[i]->Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(std::string(boost::json::parse(response->body).at("data").as_string()),
              "prepared call-" + std::to_string(i));
  }
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, 1500ms);
}

TEST_F(Server_, WhenGatewayRoutesAreSlow_DatabaseRoutesStillAnswer) {
  Router router;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::mutex mutex;
  std::condition_variable arrived;
  int waiting = 0;  // guarded by mutex
  router.Add(
      "POST", "/pay",
      [&](Request&) {
        {
          std::lock_guard lock(mutex);
          ++waiting;
        }
        arrived.notify_all();
        released.wait();
        return Response::Data(200, "paid");
      },
      Execution::kGateway);
  router.Add("GET", "/orders", [](Request&) { return Response::Data(200, "orders"); });
  ServerOptions options;
  options.worker_threads = 1;
  options.gateway_threads = 2;
  ServerUnderTest server(router, {}, options);

  RawClient first(server.Port()), second(server.Port()), reader(server.Port());
  first.Send("POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  second.Send("POST /pay HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  {
    std::unique_lock lock(mutex);
    arrived.wait_for(lock, 2s, [&] { return waiting == 2; });
    ASSERT_EQ(waiting, 2);  // both gateway calls are in flight at once
  }

  reader.Send(Get("/orders"));
  auto orders = reader.Read();
  ASSERT_TRUE(orders);
  EXPECT_EQ(boost::json::parse(orders->body).at("data"), "orders");

  release.set_value();
  auto paid = first.Read();
  ASSERT_TRUE(paid);
  EXPECT_EQ(paid->status, 200);
  ASSERT_TRUE(second.Read());
}

TEST_F(Server_, WhenNothingMatches_Answers404And405Problems) {
  Router router;
  router.Add("POST", "/api/orders", Echo);
  ServerUnderTest server(router);
  RawClient client(server.Port());

  client.Send(Get("/nowhere"));
  auto not_found = client.Read();
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->status, 404);
  EXPECT_EQ(not_found->Header("content-type"), "application/problem+json");
  EXPECT_EQ(boost::json::parse(not_found->body).at("code"), "ROUTE_NOT_FOUND");

  client.Send(Get("/api/orders"));
  auto not_allowed = client.Read();
  ASSERT_TRUE(not_allowed);
  EXPECT_EQ(not_allowed->status, 405);
  EXPECT_EQ(not_allowed->Header("allow"), "POST");
  EXPECT_EQ(boost::json::parse(not_allowed->body).at("code"), "METHOD_NOT_ALLOWED");
}

TEST_F(Server_, WhenRequestsArePipelined_AnswersInOrder) {
  Router router;
  // The first request is the slowest: answers must still come back in order.
  router.Add("GET", "/slow/{n}", [](Request& request) {
    auto n = std::stoi(std::string(*request.PathParam("n")));
    std::this_thread::sleep_for(std::chrono::milliseconds(30 * (3 - n)));
    return Response::Text(200, "answer-" + std::to_string(n), "text/plain");
  });
  ServerUnderTest server(router);
  RawClient client(server.Port());

  client.Send(Get("/slow/0") + Get("/slow/1") + Get("/slow/2"));
  for (int n = 0; n < 3; ++n) {
    auto response = client.Read();
    ASSERT_TRUE(response) << n;
    EXPECT_EQ(response->body, "answer-" + std::to_string(n));
  }
}

TEST_F(Server_, WhenPipelinedRequestsHaveBodies_KeepsBufferedBytes) {
  Router router;
  router.Add(
      "POST", "/echo", [](Request& request) { return Response::Text(200, request.body, "text/plain"); },
      Execution::kInline);
  ServerUnderTest server(router);
  RawClient client(server.Port());

  std::string batch;
  for (std::string body : {"first", "second-body", "3"}) {
    batch += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  client.Send(batch);
  for (std::string expected : {"first", "second-body", "3"}) {
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, expected);
  }
}

TEST_F(Server_, WhenKeepAlive_ServesManyRequestsOnOneConnection) {
  Router router;
  std::mutex mutex;
  std::set<std::string> peers_seen;
  router.Add("GET", "/ping", [&](Request&) { return Response::Text(200, "pong", "text/plain"); });
  ServerUnderTest server(router);
  RawClient client(server.Port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client.Send(Get("/ping")));
    auto response = client.Read();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "pong");
    EXPECT_NE(response->Header("connection"), "close");
  }
}

TEST_F(Server_, WhenClientAsksToClose_AnswersAndCloses) {
  Router router;
  router.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong", "text/plain"); });
  ServerUnderTest server(router);

  RawClient http11(server.Port());
  http11.Send(Get("/ping", "Connection: close\r\n"));
  auto response = http11.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(http11.WaitForClose(2s));

  RawClient http10(server.Port());
  http10.Send("GET /ping HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(http10.Read());
  EXPECT_TRUE(http10.WaitForClose(2s));
}

TEST_F(Server_, WhenHandlerAbortsTheConnection_ResetsItWithoutAnswering) {
  Router router;
  router.Add("POST", "/vanish", [](Request&) {
    Response response = Response::Text(200, "never sent", "text/plain");
    response.abort_connection = true;
    return response;
  });
  router.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong", "text/plain"); });
  ServerUnderTest server(router);

  RawClient vanishing(server.Port());
  vanishing.Send("POST /vanish HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_TRUE(vanishing.WaitForReset(2s));

  // Other connections are unaffected.
  RawClient other(server.Port());
  other.Send(Get("/ping"));
  auto pong = other.Read();
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->body, "pong");
}

TEST_F(Server_, WhenBodyIsOverTheLimit_Answers413AndCloses) {
  Router router;
  router.Add("POST", "/upload", Echo);
  ServerOptions options;
  options.body_limit = 100;
  ServerUnderTest server(router, {}, options);

  RawClient client(server.Port());
  client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'a'));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(boost::json::parse(response->body).at("code"), "PAYLOAD_TOO_LARGE");
  EXPECT_FALSE(response->Header("x-request-id").empty());
  EXPECT_TRUE(client.WaitForClose(3s));

  // Chunked bodies have no Content-Length to check up front.
  RawClient chunked(server.Port());
  std::string chunk(150, 'b');
  chunked.Send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n96\r\n" + chunk +
               "\r\n0\r\n\r\n");
  response = chunked.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
}

TEST_F(Server_, WhenBodyIsWithinTheLimit_HandlerGetsIt) {
  Router router;
  router.Add("POST", "/upload", Echo);
  ServerOptions options;
  options.body_limit = 100;
  ServerUnderTest server(router, {}, options);
  RawClient client(server.Port());
  client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'a'));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(boost::json::parse(response->body).at("data").at("body"), boost::json::value(std::string(100, 'a')));
}

// An image upload may be larger than any other body: only the route named in
// large_bodies gets the larger limit, with its method.
TEST_F(Server_, LargeBodyRoute_TakesItsOwnLimit_OthersKeepTheDefault) {
  Router router;
  router.Add("PUT", "/items/{id}/image", Echo);
  router.Add("POST", "/items/{id}/image", Echo);
  router.Add("PUT", "/items/{id}/name", Echo);
  ServerOptions options;
  options.body_limit = 100;
  options.large_bodies.push_back({"PUT", "/items/", "/image", 1000});
  ServerUnderTest server(router, {}, options);
  auto send = [&](const std::string& method, const std::string& path, std::size_t size) {
    RawClient client(server.Port());
    client.Send(method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(size) + "\r\n\r\n" +
                std::string(size, 'a'));
    auto response = client.Read();
    return response ? response->status : 0;
  };
  EXPECT_EQ(send("PUT", "/items/7/image", 1000), 200);
  EXPECT_EQ(send("PUT", "/items/7/image?v=1", 1000), 200);
  EXPECT_EQ(send("PUT", "/items/7/image", 1001), 413);
  EXPECT_EQ(send("POST", "/items/7/image", 101), 413);
  EXPECT_EQ(send("PUT", "/items/7/name", 101), 413);
}

TEST_F(Server_, WhenClientExpectsContinue_SendsInterimResponse) {
  Router router;
  router.Add("POST", "/upload", Echo);
  ServerUnderTest server(router);
  RawClient client(server.Port());
  client.Send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  auto interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  client.Send("data");
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(boost::json::parse(response->body).at("data").at("body"), "data");
}

TEST_F(Server_, WhenHeadersAreTooLarge_Answers431AndCloses) {
  Router router;
  router.Add("GET", "/ping", Echo);
  ServerOptions options;
  options.header_limit = 1024;
  ServerUnderTest server(router, {}, options);
  RawClient client(server.Port());
  client.Send(Get("/ping", "X-Big: " + std::string(4096, 'h') + "\r\n"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(boost::json::parse(response->body).at("code"), "HEADERS_TOO_LARGE");
  EXPECT_TRUE(client.WaitForClose(3s));
}

TEST_F(Server_, WhenRequestIsGarbage_Answers400AndCloses) {
  Router router;
  router.Add("GET", "/ping", Echo);
  ServerUnderTest server(router);
  for (std::string garbage : {std::string("\x16\x03\x01 not http at all\r\n\r\n"),
                              std::string("GET /x HTTP/1.1\r\nContent-Length: nope\r\n\r\n"),
                              std::string("GET http://example.com/x HTTP/1.1\r\nHost: x\r\n\r\n")}) {
    RawClient client(server.Port());
    client.Send(garbage);
    auto response = client.Read();
    ASSERT_TRUE(response) << garbage;
    EXPECT_EQ(response->status, 400) << garbage;
    EXPECT_EQ(response->Header("content-type"), "application/problem+json");
    EXPECT_TRUE(client.WaitForClose(3s));
  }
}

// Issue #13: a request a proxy in front could frame differently from us is
// refused and the connection closed, so nothing after it runs as a second request.
TEST_F(Server_, WhenTransferEncodingDoesNotEndInChunked_Answers400AndRunsNothingSmuggled) {
  Router router;
  std::atomic<int> smuggled{0};
  router.Add("POST", "/ping", Echo);
  router.Add("GET", "/smuggled", [&smuggled](Request&) {
    ++smuggled;
    return Response::Json(200, boost::json::object{});
  });
  ServerUnderTest server(router);
  for (std::string coding :
       {"xchunked", "chunked, identity", "gzip", "identity", "chunked, gzip", "chunked\r\nTransfer-Encoding: gzip"}) {
    RawClient client(server.Port());
    client.Send("POST /ping HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                "\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response) << coding;
    EXPECT_EQ(response->status, 400) << coding;
    EXPECT_EQ(response->Header("content-type"), "application/problem+json");
    EXPECT_EQ(response->Header("connection"), "close") << coding;
    EXPECT_TRUE(client.WaitForClose(3s)) << coding;
  }
  // Both framings at once is the classic CL.TE desync.
  RawClient both(server.Port());
  both.Send("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  auto answer = both.Read();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_TRUE(both.WaitForClose(3s));
  EXPECT_EQ(smuggled.load(), 0);
}

TEST_F(Server_, WhenHostIsMissingOrRepeated_Answers400) {
  Router router;
  router.Add("GET", "/ping", Echo);
  ServerUnderTest server(router);
  for (std::string request :
       {std::string("GET /ping HTTP/1.1\r\n\r\n"), std::string("GET /ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        std::string("GET /ping HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n")}) {
    RawClient client(server.Port());
    client.Send(request);
    auto response = client.Read();
    ASSERT_TRUE(response) << request;
    EXPECT_EQ(response->status, 400) << request;
    EXPECT_EQ(boost::json::parse(response->body).at("code"), "BAD_HOST") << request;
    EXPECT_TRUE(client.WaitForClose(3s));
  }
  // HTTP/1.0 may leave Host out.
  RawClient old(server.Port());
  old.Send("GET /ping HTTP/1.0\r\n\r\n");
  auto response = old.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(Server_, WhenSingleValuedHeaderRepeats_Answers400) {
  Router router;
  router.Add("POST", "/ping", Echo);
  ServerUnderTest server(router);
  for (std::string name :
       {"Authorization", "X-Internal-Token", "Idempotency-Key", "Content-Length", "Content-Type", "X-Request-Id"}) {
    std::string value = name == "Content-Length" ? "0" : "v";
    RawClient client(server.Port());
    client.Send("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + name + ": " + value + "\r\n" +
                (name == "Content-Length" ? std::string() : name + ": " + value + "\r\n") + "\r\n");
    auto response = client.Read();
    ASSERT_TRUE(response) << name;
    EXPECT_EQ(response->status, 400) << name;
    EXPECT_EQ(boost::json::parse(response->body).at("code"), "REPEATED_HEADER") << name;
    EXPECT_TRUE(client.WaitForClose(3s)) << name;
  }
  RawClient once(server.Port());
  once.Send(
      "POST /ping HTTP/1.1\r\nHost: x\r\nAuthorization: v\r\nAccept: a\r\nAccept: b\r\nContent-Length: 0\r\n\r\n");
  auto response = once.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

// Issue #14: X-Forwarded-For is believed only from a trusted proxy, and then
// only up to the first hop that is not one of ours.
TEST_F(Server_, ClientAddressComesFromForwardedForOnlyBehindATrustedProxy) {
  Router router;
  router.Add("GET", "/ping", Echo, Execution::kInline);
  auto client_of = [&](const ServerOptions& options, const std::string& forwarded) {
    ServerUnderTest server(router, {}, options);
    RawClient client(server.Port());
    client.Send(Get("/ping", forwarded));
    auto response = client.Read();
    EXPECT_TRUE(response);
    return std::string(boost::json::parse(response->body).at("data").at("client").as_string());
  };
  ServerOptions untrusting;
  EXPECT_EQ(client_of(untrusting, "X-Forwarded-For: 203.0.113.7\r\n"), "127.0.0.1");
  ServerOptions behind_proxy;
  behind_proxy.trusted_proxies = infra::NetworkList::Parse("127.0.0.0/8, 10.0.0.0/8");
  EXPECT_EQ(client_of(behind_proxy, "X-Forwarded-For: 203.0.113.7\r\n"), "203.0.113.7");
  // A client's own forged hop sits left of the one our proxy appended.
  EXPECT_EQ(client_of(behind_proxy, "X-Forwarded-For: 198.51.100.1, 203.0.113.7, 10.1.2.3\r\n"), "203.0.113.7");
  EXPECT_EQ(client_of(behind_proxy, "X-Forwarded-For: 198.51.100.1\r\nX-Forwarded-For: 203.0.113.7\r\n"),
            "203.0.113.7");
  EXPECT_EQ(client_of(behind_proxy, "X-Forwarded-For: not-an-ip\r\n"), "127.0.0.1");
  EXPECT_EQ(client_of(behind_proxy, ""), "127.0.0.1");
  ServerOptions other_proxy;
  other_proxy.trusted_proxies = infra::NetworkList::Parse("10.0.0.0/8");
  EXPECT_EQ(client_of(other_proxy, "X-Forwarded-For: 203.0.113.7\r\n"), "127.0.0.1");
}

TEST_F(Server_, ParseRequestAppliesTheSameHeaderRules) {
  ServerOptions options;
  EXPECT_EQ(ParseRequest("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", options).error_status, 400);
  EXPECT_EQ(ParseRequest("GET / HTTP/1.1\r\n\r\n", options).error_status, 400);
  EXPECT_EQ(
      ParseRequest("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: a\r\nAuthorization: a\r\n\r\n", options).error_status,
      400);
  EXPECT_TRUE(ParseRequest("GET / HTTP/1.1\r\nHost: x\r\n\r\n", options).complete);
}

TEST_F(Server_, WhenIdleLongerThanIdleTimeout_ClosesConnection) {
  Router router;
  router.Add("GET", "/ping", Echo, Execution::kInline);
  ServerOptions options;
  options.idle_timeout = 200ms;
  ServerUnderTest server(router, {}, options);
  RawClient client(server.Port());
  client.Send(Get("/ping"));
  ASSERT_TRUE(client.Read());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitForClose(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
}

TEST_F(Server_, WhenRequestStallsMidway_ClosesAfterReadTimeout) {
  Router router;
  router.Add("GET", "/ping", Echo, Execution::kInline);
  ServerOptions options;
  options.read_timeout = 200ms;
  ServerUnderTest server(router, {}, options);
  RawClient client(server.Port());
  client.Send("GET /ping HTTP/1.1\r\nHo");
  EXPECT_TRUE(client.WaitForClose(3s));
}

TEST_F(Server_, WhenRequestIdIsSentOrNot_EchoesOrGeneratesIt) {
  Router router;
  router.Add("GET", "/ping", Echo, Execution::kInline);
  prometheus::Registry registry;
  ServerUnderTest server(router, FullChain(registry));
  RawClient client(server.Port());

  client.Send(Get("/ping", "X-Request-Id: client-abc_1.2\r\n"));
  auto echoed = client.Read();
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->Header("x-request-id"), "client-abc_1.2");

  client.Send(Get("/ping", "X-Request-Id: bad id!\r\n"));
  auto generated = client.Read();
  ASSERT_TRUE(generated);
  EXPECT_EQ(generated->Header("x-request-id").size(), 32u);

  client.Send(Get("/missing"));  // error answers carry it too
  auto missing = client.Read();
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->Header("x-request-id").size(), 32u);
}

TEST_F(Server_, WhenClientAcceptsGzip_CompressesLargeJsonOnly) {
  Router router;
  boost::json::array items;
  for (int i = 0; i < 100; ++i) items.push_back(boost::json::object{{"itemId", i}, {"productName", "omega"}});
  router.Add(
      "GET", "/big", [&](Request&) { return Response::Data(200, items); }, Execution::kInline);
  router.Add(
      "GET", "/small", [](Request&) { return Response::Data(200, "tiny"); }, Execution::kInline);
  prometheus::Registry registry;
  ServerUnderTest server(router, FullChain(registry));
  RawClient client(server.Port());
  auto expected = boost::json::serialize(boost::json::object{{"data", items}});

  client.Send(Get("/big", "Accept-Encoding: gzip, deflate\r\n"));
  auto gzipped = client.Read();
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->Header("content-encoding"), "gzip");
  EXPECT_EQ(gzipped->Header("vary"), "Accept-Encoding");
  EXPECT_EQ(Gunzip(gzipped->body), expected);

  client.Send(Get("/big"));
  auto plain = client.Read();
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->Header("content-encoding"), "");
  EXPECT_EQ(plain->body, expected);

  client.Send(Get("/small", "Accept-Encoding: gzip\r\n"));
  auto small = client.Read();
  ASSERT_TRUE(small);
  EXPECT_EQ(small->Header("content-encoding"), "");
  EXPECT_EQ(boost::json::parse(small->body).at("data"), "tiny");
}

TEST_F(Server_, WhenHandlerThrowsDomainError_AnswersProblemWithFieldErrors) {
  Router router;
  router.Add("POST", "/api/orders", [](Request&) -> Response {
    domain::Validator validator;
    validator.Add("lines[0].quantity", "must be at least 1");
    validator.Add("receiver.phone", "is required");
    validator.ThrowIfAny();
    return Response::NoContent();
  });
  prometheus::Registry registry;
  ServerUnderTest server(router, FullChain(registry));
  RawClient client(server.Port());
  client.Send("POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->Header("content-type"), "application/problem+json");
  auto body = boost::json::parse(response->body);
  EXPECT_EQ(body.at("code"), "VALIDATION_FAILED");
  ASSERT_EQ(body.at("errors").as_array().size(), 2u);
  EXPECT_EQ(body.at("errors").at(1).at("field"), "receiver.phone");
}

TEST_F(Server_, WhenHandlerThrows_Answers500WithoutLeakingTheMessage) {
  Router router;
  router.Add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("secret-sql-detail"); });
  {
    // No middleware at all: the server's own last-resort catch answers.
    ServerUnderTest bare(router);
    RawClient client(bare.Port());
    client.Send(Get("/boom"));
    auto response = client.Read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(boost::json::parse(response->body).at("code"), "INTERNAL_ERROR");
    EXPECT_EQ(response->body.find("secret-sql-detail"), std::string::npos);
    // The connection survives a handler bug.
    client.Send(Get("/boom"));
    ASSERT_TRUE(client.Read());
  }
  prometheus::Registry registry;
  ServerUnderTest full(router, FullChain(registry));
  RawClient client(full.Port());
  client.Send(Get("/boom"));
  auto response = client.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body.find("secret-sql-detail"), std::string::npos);
  EXPECT_NE(log_.str().find("secret-sql-detail"), std::string::npos);
}

TEST_F(Server_, WhenHandlerIsBlocking_RunsOffTheIoThreadAndDoesNotStallIt) {
  Router router;
  std::mutex mutex;
  std::thread::id inline_thread;
  std::thread::id blocking_thread;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> entered;
  router.Add(
      "GET", "/inline",
      [&](Request&) {
        std::lock_guard lock(mutex);
        inline_thread = std::this_thread::get_id();
        return Response::Text(200, "inline", "text/plain");
      },
      Execution::kInline);
  router.Add("GET", "/blocking", [&](Request&) {
    {
      std::lock_guard lock(mutex);
      blocking_thread = std::this_thread::get_id();
    }
    entered.set_value();
    released.wait_for(5s);
    return Response::Text(200, "blocking", "text/plain");
  });
  ServerOptions options;
  options.io_threads = 1;  // one I/O thread: if it blocked, nothing else would be served
  ServerUnderTest server(router, {}, options);

  RawClient slow(server.Port());
  slow.Send(Get("/blocking"));
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);

  RawClient fast(server.Port());
  fast.Send(Get("/inline"));
  auto inline_response = fast.Read(2s);
  ASSERT_TRUE(inline_response);  // served while the blocking handler still waits
  EXPECT_EQ(inline_response->body, "inline");
  release.set_value();
  auto blocking_response = slow.Read();
  ASSERT_TRUE(blocking_response);
  EXPECT_EQ(blocking_response->body, "blocking");

  std::lock_guard lock(mutex);
  EXPECT_NE(inline_thread, std::thread::id{});
  EXPECT_NE(blocking_thread, inline_thread);
  EXPECT_NE(blocking_thread, std::this_thread::get_id());
}

TEST_F(Server_, WhenStoppedDuringASlowRequest_FinishesItAndClosesIdleConnections) {
  Router router;
  std::promise<void> entered;
  router.Add("GET", "/slow", [&](Request&) {
    entered.set_value();
    std::this_thread::sleep_for(300ms);
    return Response::Text(200, "done", "text/plain");
  });
  router.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong", "text/plain"); });
  ServerOptions options;
  options.shutdown_grace = 5s;
  ServerUnderTest server(router, {}, options);

  RawClient idle(server.Port());
  idle.Send(Get("/ping"));
  ASSERT_TRUE(idle.Read());

  RawClient busy(server.Port());
  busy.Send(Get("/slow"));
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);

  std::atomic<bool> wait_returned{false};
  std::thread waiter([&] {
    server.Get().Wait();
    wait_returned = true;
  });
  auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] { server.Get().Stop(); });

  auto response = busy.Read();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "done");
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(idle.WaitForClose(2s));
  stopper.join();
  waiter.join();
  EXPECT_TRUE(wait_returned);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);  // it did wait for the handler
  server.Get().Stop();                                         // a second Stop is harmless

  EXPECT_THROW(RawClient late(server.Port()), std::runtime_error);  // no longer accepting
}

TEST_F(Server_, WhenGraceExpires_StopReturnsAnyway) {
  Router router;
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  router.Add("GET", "/stuck", [&](Request&) {
    entered.set_value();
    released.wait_for(5s);  // let go once the server has closed the client's connection
    return Response::NoContent();
  });
  ServerOptions options;
  options.shutdown_grace = 100ms;
  ServerUnderTest server(router, {}, options);
  RawClient client(server.Port());
  client.Send(Get("/stuck"));
  ASSERT_EQ(entered.get_future().wait_for(5s), std::future_status::ready);
  auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] { server.Get().Stop(); });
  // The grace over, the connection is closed under the stuck handler; the handler
  // then ends, and Stop (which joins it: it cannot be interrupted) returns.
  EXPECT_TRUE(client.WaitForClose(2s));
  release.set_value();
  stopper.join();
  // Bounded by the handler itself, not by the client.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(Server_, WhenMetricsMiddlewareRuns_LabelsByRouteTemplate) {
  Router router;
  router.Add("GET", "/api/items/{id}", Echo, Execution::kInline);
  prometheus::Registry registry;
  ServerUnderTest server(router, FullChain(registry));
  RawClient client(server.Port());
  for (std::string target : {"/api/items/1", "/api/items/2", "/not/a/route"}) {
    client.Send(Get(target));
    ASSERT_TRUE(client.Read());
  }
  std::map<std::string, double> by_route;
  for (const auto& family : registry.Collect()) {
    if (family.name != "http_requests_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "route") by_route[label.value] += metric.counter.value;
      }
    }
  }
  EXPECT_EQ(by_route["/api/items/{id}"], 2);
  EXPECT_EQ(by_route["unmatched"], 1);
  EXPECT_EQ(by_route.size(), 2u);
}

TEST_F(Server_, WhenHeadRequested_SendsHeadersOfGetWithoutBody) {
  Router router;
  router.Add("GET", "/doc", [](Request&) { return Response::Text(200, "0123456789", "text/plain"); });
  router.Add("GET", "/gone", [](Request&) { return Response::NoContent(); });
  ServerUnderTest server(router);
  RawClient client(server.Port());
  client.Send("HEAD /doc HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = client.Read(5s, /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("content-length"), "10");
  // The next answer on the connection must start right after the headers.
  client.Send(Get("/gone"));
  auto next = client.Read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 204);
  EXPECT_EQ(next->Header("content-length"), "");
}

}  // namespace
}  // namespace pillivery::http

namespace pillivery::http {
namespace {

TEST_F(Server_, WhenPortIsTaken_StartThrowsAndCanRetry) {
  Router router;
  router.Add("GET", "/ping", [](Request&) { return Response::Text(200, "pong", "text/plain"); });
  ServerUnderTest first(router);
  ServerOptions options;
  options.port = first.Port();
  Server second(options, router, {});
  EXPECT_THROW(second.Start(), std::exception);
  second.Stop();  // never started: returns at once
  second.Wait();
}

}  // namespace
}  // namespace pillivery::http
