#pragma once
// The HTTP/1.1 edge: Beast + Asio coroutines. Keep-alive, pipelining (answers in
// order), body/header limits, read and idle timeouts, graceful stop.
#include "http/message.hpp"
#include "http/router.hpp"
#include "infra/cidr.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  int io_threads = 2;
  int worker_threads = 32;               // runs Execution::kBlocking handlers
  int gateway_threads = 8;               // runs Execution::kGateway handlers (the store sets it from config)
  std::size_t body_limit = 1024 * 1024;  // 413 above
  // Requests allowed a larger body than body_limit (an admin's image upload):
  // same method, and a target path that starts with `path_prefix` and ends
  // with `path_suffix`. Every other request keeps body_limit.
  struct LargeBody {
    std::string method;
    std::string path_prefix;
    std::string path_suffix;
    std::size_t limit = 0;
  };
  std::vector<LargeBody> large_bodies;
  std::size_t header_limit = 8 * 1024;            // 431 above
  std::chrono::milliseconds read_timeout{15000};  // whole request once started
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive between requests
  std::chrono::milliseconds shutdown_grace{10000};
  // Peers whose X-Forwarded-For is believed (Request::client_address).
  infra::NetworkList trusted_proxies;
};

// The client address of a request from `peer`: X-Forwarded-For read right to
// left while each hop is a trusted proxy; the first untrusted (or, failing
// that, the left-most valid) hop. A malformed hop ends the walk: the last
// trusted address seen before it is the client.
std::string ClientAddress(const Request& request, const std::string& peer, const infra::NetworkList& trusted);

// The session's parsing step without a socket (the fuzz target drives it):
// raw bytes → Request, or the status a session would answer before closing.
struct ParsedRequest {
  bool complete = false;  // one whole request was parsed into `request`
  int error_status = 0;   // non-zero: 400, 413 or 431
  Request request;
};
ParsedRequest ParseRequest(std::string_view raw, const ServerOptions& options);

class Server {
 public:
  // chain: outermost first. The router dispatch is the innermost step.
  Server(ServerOptions options, const Router& router, std::vector<Middleware> chain);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads; returns the bound port.
  std::uint16_t Start();
  // Stops accepting, lets in-flight requests finish (up to shutdown_grace), joins.
  void Stop();
  // Before Stop: every answer from now on closes its connection (a proxy's
  // keep-alive connections end cleanly, after a response, not under a request).
  void BeginDrain();
  // Blocks until Stop() is called from another thread or a signal handler.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pillivery::http
