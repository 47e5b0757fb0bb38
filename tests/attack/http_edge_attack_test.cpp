// Attack suite: the HTTP edge of the real binary (issue #13 items 1-3, 8 and
// the resource-consumption cases: body, header and slow-client limits).
#include "attack/attack_fixture.hpp"

#include <chrono>
#include <thread>

namespace pillivery::testing {
namespace {

using http::testing::RawClient;
using namespace std::chrono_literals;

std::string SignUpJson(const std::string& email, const std::string& phone) {
  boost::json::object body{
      {"email", email}, {"password", "secret1!x"}, {"displayName", email.substr(0, 8)},   {"realName", "김철수"},
      {"phone", phone}, {"city", "서울특별시"},    {"detailAddress", "강남구 테헤란로 1"}};
  return boost::json::serialize(body);
}

class HttpEdgeAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_HTTP_READ_TIMEOUT_MS"] = "500";
    env["PILLIVERY_RATE_LIMITS"] = "false";  // these cases send many bodies; limits have their own cases
  }
};

// Item 1: a Transfer-Encoding the server cannot frame is refused and the
// connection closed, so the sign-up hidden after it never runs.
TEST_P(HttpEdgeAttack, Smuggling_TransferEncodingNotEndingInChunked_400CloseAndNothingSmuggled) {
  auto before = Snapshot();
  auto smuggled = SignUpJson("smuggled@attack.test", "01077778888");
  for (std::string coding : {"xchunked", "chunked, identity", "gzip", "identity", "chunked\r\nTransfer-Encoding: x"}) {
    RawClient client(port_);
    client.Send("POST /api/auth/logout HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding +
                "\r\n\r\nPOST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
    auto response = client.Read();
    // BAD_FRAMING, or MALFORMED_REQUEST where Beast itself refuses the header first.
    ExpectRawProblem(response, 400);
    EXPECT_EQ(response->Header("connection"), "close") << coding;
    EXPECT_TRUE(client.WaitForClose(3s)) << coding;
  }
  RawClient both(port_);  // CL.TE
  both.Send("POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  ExpectRawProblem(both.Read(), 400);  // Beast refuses CL with TE itself (MALFORMED_REQUEST)
  EXPECT_EQ(Snapshot(), before);
}

// Item 2 and 3: Host exactly once; single-valued headers exactly once.
TEST_P(HttpEdgeAttack, Headers_MissingOrRepeatedHostAndRepeatedCredentials_400) {
  auto victim = SignUpAndLogin("victim");
  auto attacker = SignUpAndLogin("attacker");
  auto before = Snapshot();
  for (std::string request : {std::string("GET /api/users/me HTTP/1.1\r\n\r\n"),
                              std::string("GET /api/users/me HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    RawClient client(port_);
    client.Send(request);
    ExpectRawProblem(client.Read(), 400, "BAD_HOST");
  }
  // The victim's token first, the attacker's second: neither may win.
  RawClient doubled(port_);
  doubled.Send("POST /api/auth/logout HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nAuthorization: Bearer " +
               victim.access + "\r\nAuthorization: Bearer " + attacker.access + "\r\n\r\n");
  ExpectRawProblem(doubled.Read(), 400, "REPEATED_HEADER");
  RawClient internal(port_);
  internal.Send(std::string("POST /internal/subscriptions/1/charge HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n") +
                "X-Internal-Token: wrong\r\nX-Internal-Token: " + kInternalToken + "\r\n\r\n{}");
  ExpectRawProblem(internal.Read(), 400, "REPEATED_HEADER");
  RawClient keys(port_);
  keys.Send(
      "POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nIdempotency-Key: a\r\nIdempotency-Key: b\r\n"
      "Authorization: Bearer " +
      victim.access + "\r\n\r\n{}");
  ExpectRawProblem(keys.Read(), 400, "REPEATED_HEADER");
  // Both sessions are still alive: the logout did not run.
  EXPECT_EQ(Call("GET", "/api/users/me", "", {victim.Auth()}).status, 200);
  EXPECT_EQ(Snapshot(), before);
}

TEST_P(HttpEdgeAttack, ResourceConsumption_BodyHeaderAndSlowClientLimits) {
  auto before = Snapshot();
  RawClient big(port_);  // declared over the 1 MiB body limit: refused before it is read
  big.Send("POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{");
  ExpectRawProblem(big.Read(), 413, "PAYLOAD_TOO_LARGE");
  RawClient headers(port_);
  headers.Send("GET /api/items HTTP/1.1\r\nHost: x\r\nX-Junk: " + std::string(10000, 'a') + "\r\n\r\n");
  ExpectRawProblem(headers.Read(), 431, "HEADERS_TOO_LARGE");
  // A slow client (half a request, then nothing) is cut off at the read timeout.
  RawClient slow(port_);
  slow.Send("POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"email\":");
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.WaitForClose(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  // Many slow clients at once do not stop the server answering others.
  std::vector<std::unique_ptr<RawClient>> crowd;
  for (int i = 0; i < 50; ++i) {
    crowd.push_back(std::make_unique<RawClient>(port_));
    crowd.back()->Send("GET /api/items HTTP/1.1\r\nHo");
  }
  EXPECT_EQ(Call("GET", "/api/items/1").status, 200);
  EXPECT_EQ(Snapshot(), before);
}

// Bad JSON: every case is a 400 problem and creates nothing.
TEST_P(HttpEdgeAttack, BadJson_InvalidUtf8DeepNestingHugeNumbersDuplicateKeysWrongTypes_400) {
  auto user = SignUpAndLogin("json");
  auto before = Snapshot();
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  std::string deep_object;
  for (int i = 0; i < 10000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(10000, '}');
  std::vector<std::string> bodies = {
      "{\"email\":\"\xff\xfe@x.com\",\"password\":\"secret1!x\"}",
      "{\"email\":\"a\xc3\x28@x.com\"}",
      deep,
      deep_object,
      R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":1e400}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","lines":[{"itemId":1e400,"quantity":1}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","type":"SUBSCRIPTION","lines":[{"itemId":1,"quantity":1}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","lines":[{"itemId":"1","quantity":1}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":1.5}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","lines":{"itemId":1},"receiver":"x"})",
      R"({"type":"ONE_TIME","lines":[{"itemId":1,"quantity":-1}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      R"({"type":"ONE_TIME","lines":[{"itemId":9223372036854775808,"quantity":1}],"receiver":{"name":"a","phone":"010-1111-2222","city":"c","detailAddress":"d"}})",
      "[]",
      "null",
      "{\"type\":\"ONE_TIME\"",
      std::string("{\"type\":\"ONE\0TIME\"}", 19),
  };
  for (const auto& body : bodies) {
    for (const char* path : {"/api/orders", "/api/users", "/api/auth/login"}) {
      auto r = Call("POST", path, body, {user.Auth()});
      ExpectProblem(r, 400);
      if (r.status != 400) ADD_FAILURE() << path << " accepted " << body.substr(0, 120);
    }
  }
  EXPECT_EQ(Call("GET", "/health/ready").status, 200);
  EXPECT_EQ(Snapshot(), before);
}

// Item 8: /metrics answers the operators' networks or the metrics token only.
class MetricsAttack : public AttackTest {
 protected:
  void Configure(std::map<std::string, std::string>& env) override {
    env["PILLIVERY_METRICS_NETWORKS"] = "10.255.0.0/16";
    env["PILLIVERY_METRICS_TOKEN"] = "metrics-token-for-prometheus";
  }
};

TEST_P(MetricsAttack, Metrics_RefusedOutsideTheAllowListWithoutTheToken) {
  ExpectProblem(Call("GET", "/metrics"), 403, "FORBIDDEN");
  ExpectProblem(Call("GET", "/metrics", "", {"Authorization: Bearer wrong-token-of-same-size-xxx"}), 403);
  // Forwarded-for from an allowed network is not believed from an untrusted peer.
  ExpectProblem(Call("GET", "/metrics", "", {"X-Forwarded-For: 10.255.0.1"}), 403);
  auto scraped = Call("GET", "/metrics", "", {"Authorization: Bearer metrics-token-for-prometheus"});
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("http_requests_total"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, HttpEdgeAttack, ::testing::ValuesIn(Engines()));
INSTANTIATE_TEST_SUITE_P(Engines, MetricsAttack, ::testing::ValuesIn(Engines()));

}  // namespace
}  // namespace pillivery::testing
