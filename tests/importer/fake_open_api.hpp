#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1, port 0, that answers GETs with canned
// responses per path — a stand-in for the 식품안전나라 Open API in tests.
// Plain POSIX sockets and one thread; every connection is closed after one answer.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace pillivery::testing {

struct CannedResponse {
  int status = 200;
  std::string body;
};

class FakeOpenApi {
 public:
  FakeOpenApi() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket");
    int yes = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0)
      throw std::runtime_error("bind/listen");
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeOpenApi() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Answers for a path, served in order; the last one repeats.
  void On(const std::string& path, std::vector<CannedResponse> responses) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(responses);
  }
  void On(const std::string& path, const std::string& body) { On(path, {{200, body}}); }

  std::vector<std::string> Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      Handle(client);
      ::close(client);
    }
  }

  void Handle(int client) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd p{client, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) return;
      ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      request.append(buffer, static_cast<size_t>(n));
    }
    // "GET /path HTTP/1.1"
    auto first_space = request.find(' ');
    auto second_space = request.find(' ', first_space + 1);
    std::string path = request.substr(first_space + 1, second_space - first_space - 1);
    CannedResponse response{404, R"({"error": "no canned answer"})"};
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(path);
      auto it = routes_.find(path);
      if (it != routes_.end() && !it->second.empty()) {
        response = it->second.front();
        if (it->second.size() > 1) it->second.erase(it->second.begin());
      }
    }
    std::string reply =
        "HTTP/1.1 " + std::to_string(response.status) + " X\r\nContent-Type: application/json;charset=UTF-8\r\n" +
        "Content-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n\r\n" + response.body;
    size_t sent = 0;
    while (sent < reply.size()) {
      ssize_t n = ::send(client, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<CannedResponse>> routes_;
  std::vector<std::string> requests_;
};

}  // namespace pillivery::testing
