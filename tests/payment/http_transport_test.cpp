// CurlTransport against a raw socket server that misbehaves on purpose: what
// the transport reports decides whether a payment may be sent again.
#include "payment/http_transport.hpp"
#include "support/test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

namespace pillivery::payment {
namespace {

// One connection accepted on a free loopback port, handled by `serve` on a thread.
class OneShotServer {
 public:
  explicit OneShotServer(std::function<void(int fd)> serve) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 4) != 0) {
      throw std::runtime_error("bind/listen failed");
    }
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
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

// Reads until the header block (and, with a body length given, that many body bytes) arrived.
void ReadRequest(int fd, std::size_t body_bytes) {
  std::string data;
  char buffer[8192];
  for (;;) {
    auto end = data.find("\r\n\r\n");
    if (end != std::string::npos && data.size() >= end + 4 + body_bytes) return;
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return;
    data.append(buffer, static_cast<std::size_t>(n));
  }
}

void Reset(int fd) {
  linger abortive{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  ::close(fd);
}

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

}  // namespace
}  // namespace pillivery::payment
