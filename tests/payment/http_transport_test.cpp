// CurlTransport against a raw socket server that misbehaves on purpose: what
// the transport reports decides whether a payment may be sent again.
#include "payment/http_transport.hpp"
#include "support/test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace pillivery::payment {
namespace {

// A listening socket on a free loopback port; sets `port`.
int ListenOnLoopback(int backlog, int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, backlog) != 0) {
    ::close(fd);
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// One connection accepted on a free loopback port, handled by `serve` on a thread.
class OneShotServer {
 public:
  explicit OneShotServer(std::function<void(int fd)> serve) {
    listen_fd_ = ListenOnLoopback(4, port_);
    thread_ = std::thread([this, serve = std::move(serve)] {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd >= 0) serve(fd);
    });
  }
  ~OneShotServer() {
    thread_.join();
    ::close(listen_fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/online/v1/payment/approve"; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Reads until the header block (and, with a body length given, that many body
// bytes) arrived; false when the connection ended first.
bool ReadRequest(int fd, std::size_t body_bytes) {
  std::string data;
  char buffer[8192];
  for (;;) {
    auto end = data.find("\r\n\r\n");
    if (end != std::string::npos && data.size() >= end + 4 + body_bytes) return true;
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    data.append(buffer, static_cast<std::size_t>(n));
  }
}

void Reset(int fd) {
  linger abortive{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  ::close(fd);
}

bool Answer(int fd, const std::string& status_line = "200 OK", const std::string& body = "{}") {
  std::string answer =
      "HTTP/1.1 " + status_line + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(answer.size());
}

// Accepts connections on a free loopback port until destroyed and hands each to
// `serve(fd, n)` (n counts connections from 0) on the accepting thread.
class KeepAliveServer {
 public:
  explicit KeepAliveServer(std::function<void(int fd, int connection)> serve) {
    listen_fd_ = ListenOnLoopback(64, port_);
    thread_ = std::thread([this, serve = std::move(serve)] {
      for (int n = 0;; ++n) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;  // shut down
        connections_ = n + 1;
        serve(fd, n);
      }
    });
  }
  ~KeepAliveServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the accept
    thread_.join();
    ::close(listen_fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/online/v1/payment/approve"; }
  int Connections() const { return connections_; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

CurlTransport Transport() { return CurlTransport(CurlTimeouts{std::chrono::seconds(5), std::chrono::seconds(10)}); }

TEST(CurlTransport, WhenResetAfterTheWholeRequestArrived_IsLostAfterSend) {
  const std::string body = R"({"tid":"T1234567890123456789"})";
  OneShotServer server([&](int fd) {
    ReadRequest(fd, body.size());
    Reset(fd);
  });
  auto exchange = Transport().Post(server.Url(), {"Content-Type: application/json"}, body);
  EXPECT_EQ(exchange.fate, HttpExchange::Fate::kLostAfterSend) << exchange.error;
}

TEST(CurlTransport, WhenResetWhileTheBodyIsStillGoingOut_IsNotSent) {
  // Larger than any loopback socket buffer, so the reset lands mid-body.
  const std::string body(64 * 1024 * 1024, 'x');
  OneShotServer server([](int fd) {
    ReadRequest(fd, 0);
    Reset(fd);
  });
  auto exchange = Transport().Post(server.Url(), {"Content-Type: application/json"}, body);
  EXPECT_EQ(exchange.fate, HttpExchange::Fate::kNotSent) << exchange.error;
}

TEST(CurlTransport, WhenNothingListens_IsNotSent) {
  auto url = "http://127.0.0.1:" + std::to_string(pillivery::testing::FreePort()) + "/online/v1/payment/approve";
  auto exchange = Transport().Post(url, {}, "{}");
  EXPECT_EQ(exchange.fate, HttpExchange::Fate::kNotSent) << exchange.error;
}

TEST(CurlTransport, WhenAnswered_ReportsStatusAndBody) {
  OneShotServer server([](int fd) {
    ReadRequest(fd, 2);
    std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    ::close(fd);
  });
  auto exchange = Transport().Post(server.Url(), {}, "{}");
  EXPECT_EQ(exchange.fate, HttpExchange::Fate::kAnswered) << exchange.error;
  EXPECT_EQ(exchange.status, 400);
  EXPECT_EQ(exchange.body, "{}");
}

TEST(CurlTransport, ConsecutiveCalls_GoOutOnOneKeptAliveConnection) {
  const std::string body = R"({"sid":"S1234567890123456789"})";
  KeepAliveServer server([&](int fd, int) {
    for (int i = 0; i < 3; ++i) {
      ReadRequest(fd, body.size());
      Answer(fd, "200 OK", R"({"n":)" + std::to_string(i) + "}");
    }
    ::close(fd);
  });
  auto transport = Transport();
  for (int i = 0; i < 3; ++i) {
    auto exchange = transport.Post(server.Url(), {"Content-Type: application/json"}, body);
    EXPECT_EQ(exchange.fate, HttpExchange::Fate::kAnswered) << exchange.error;
    EXPECT_EQ(exchange.body, R"({"n":)" + std::to_string(i) + "}");
  }
  EXPECT_EQ(server.Connections(), 1);
}

TEST(CurlTransport, WhenAReusedConnectionIsResetAfterTheWholeRequest_IsLostAfterSendAndNotSentAgain) {
  // libcurl would re-send a request whose reused connection died without an
  // answer; for a charge the gateway may already have made, that is not its call.
  const std::string body = R"({"sid":"S1234567890123456789","partner_order_id":"sub-1-cycle-2"})";
  std::atomic<int> requests{0};
  KeepAliveServer server([&](int fd, int connection) {
    if (connection == 0 && ReadRequest(fd, body.size())) {
      ++requests;
      Answer(fd);
    }
    if (ReadRequest(fd, body.size())) ++requests;
    Reset(fd);
  });
  auto transport = Transport();
  ASSERT_EQ(transport.Post(server.Url(), {}, body).fate, HttpExchange::Fate::kAnswered);
  auto lost = transport.Post(server.Url(), {}, body);
  EXPECT_EQ(lost.fate, HttpExchange::Fate::kLostAfterSend) << lost.error;
  EXPECT_EQ(requests, 2);
}

TEST(CurlTransport, WhenTheGatewayClosedTheIdleConnection_TheNextCallGoesOutOnAFreshOne) {
  const std::string body = R"({"tid":"T1234567890123456789"})";
  std::promise<void> closed;
  KeepAliveServer server([&](int fd, int connection) {
    ReadRequest(fd, body.size());
    Answer(fd, "200 OK", connection == 0 ? "{}" : R"({"again":true})");
    ::close(fd);
    if (connection == 0) closed.set_value();
  });
  auto transport = Transport();
  ASSERT_EQ(transport.Post(server.Url(), {}, body).fate, HttpExchange::Fate::kAnswered);
  closed.get_future().wait();
  auto exchange = transport.Post(server.Url(), {}, body);
  EXPECT_EQ(exchange.fate, HttpExchange::Fate::kAnswered) << exchange.error;
  EXPECT_EQ(exchange.body, R"({"again":true})");
  EXPECT_EQ(server.Connections(), 2);
}

TEST(CurlTransport, AfterAResponseTimeout_TheNextCallDoesNotReadTheLateAnswer) {
  // The timed-out connection still carries the late answer; it must be closed, not reused.
  const std::string body = R"({"tid":"T1234567890123456789"})";
  std::promise<void> timed_out;
  KeepAliveServer server([&](int fd, int connection) {
    ReadRequest(fd, body.size());
    if (connection == 0) {
      timed_out.get_future().wait();
      Answer(fd, "200 OK", R"({"late":true})");
    } else {
      Answer(fd, "200 OK", R"({"fresh":true})");
    }
    ::close(fd);
  });
  CurlTransport transport(CurlTimeouts{std::chrono::seconds(5), std::chrono::milliseconds(200)});
  auto slow = transport.Post(server.Url(), {}, body);
  EXPECT_EQ(slow.fate, HttpExchange::Fate::kLostAfterSend) << slow.error;
  timed_out.set_value();
  auto next = transport.Post(server.Url(), {}, body);
  EXPECT_EQ(next.fate, HttpExchange::Fate::kAnswered) << next.error;
  EXPECT_EQ(next.body, R"({"fresh":true})");
}

TEST(CurlTransport, ConcurrentCalls_EachGetTheirOwnAnswerOnAtMostOneConnectionPerCaller) {
  constexpr int kCallers = 8;
  constexpr int kCallsPerCaller = 20;
  std::vector<std::thread> sessions;
  std::mutex sessions_mutex;
  {
    // One thread per connection, answering each request with its body.
    KeepAliveServer server([&](int fd, int) {
      std::lock_guard lock(sessions_mutex);
      sessions.emplace_back([fd] {
        std::string data;
        char buffer[4096];
        for (;;) {
          auto end = data.find("\r\n\r\n");
          auto length_at = data.find("Content-Length: ");
          if (end != std::string::npos && length_at != std::string::npos && length_at < end) {
            std::size_t length = std::stoul(data.substr(length_at + 16));
            if (data.size() >= end + 4 + length) {
              std::string echoed = data.substr(end + 4, length);
              data.erase(0, end + 4 + length);
              if (!Answer(fd, "200 OK", echoed)) break;
              continue;
            }
          }
          auto n = ::recv(fd, buffer, sizeof buffer, 0);
          if (n <= 0) break;
          data.append(buffer, static_cast<std::size_t>(n));
        }
        ::close(fd);
      });
    });
    auto transport = Transport();
    std::atomic<int> wrong{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < kCallers; ++c) {
      callers.emplace_back([&, c] {
        for (int i = 0; i < kCallsPerCaller; ++i) {
          std::string body = R"({"caller":)" + std::to_string(c) + R"(,"call":)" + std::to_string(i) + "}";
          auto exchange = transport.Post(server.Url(), {"Content-Type: application/json"}, body);
          if (exchange.fate != HttpExchange::Fate::kAnswered || exchange.body != body) ++wrong;
        }
      });
    }
    for (auto& caller : callers) caller.join();
    EXPECT_EQ(wrong, 0);
    EXPECT_LE(server.Connections(), kCallers);
  }  // the transport closes its connections, so every session sees EOF
  for (auto& session : sessions) session.join();
}

}  // namespace
}  // namespace pillivery::payment
