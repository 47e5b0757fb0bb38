#pragma once
// One HTTP POST and what became of it, told apart the way a payment needs:
// answered, never sent (safe to try again), or lost after sending (the
// gateway may have acted). The seam lets tests feed the client odd answers.
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pillivery::payment {

struct HttpExchange {
  enum class Fate {
    kAnswered,       // a complete HTTP response arrived (any status)
    kNotSent,        // no connection: the request never left
    kLostAfterSend,  // timeout, reset or garbage after the request may have been sent
  };
  Fate fate = Fate::kAnswered;
  long status = 0;
  std::string body;
  std::string error;  // the transport's reason when not answered
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // headers are "Name: value" lines; they may carry secrets and are never logged.
  virtual HttpExchange Post(const std::string& url, const std::vector<std::string>& headers,
                            const std::string& body) = 0;
};

struct CurlTimeouts {
  std::chrono::milliseconds connect{10'000};
  // Caps the whole exchange once started (libcurl has no separate read timeout).
  std::chrono::milliseconds response{30'000};
};

// libcurl with kept-alive connections: a call borrows an idle easy handle (and
// so its open connection to the gateway) from a pool and gives it back, so
// concurrent calls each have their own handle and the pool grows to the
// largest number of calls in flight; a handle idle for 20 s drops its
// connection. libcurl silently re-sends a request when a reused connection
// dies without an answer; the transport lets it do so only while not one
// byte of the request had left (the gateway cannot have seen it) and
// otherwise reports kLostAfterSend: a re-sent approve or charge must always
// be our decision. Thread-safe; curl_global_init runs once per process.
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTimeouts timeouts);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpExchange Post(const std::string& url, const std::vector<std::string>& headers, const std::string& body) override;

 private:
  struct HandleDeleter {
    void operator()(void* handle) const;
  };
  using Handle = std::unique_ptr<void, HandleDeleter>;  // a CURL*, without curl.h here
  struct Idle {
    Handle handle;
    std::chrono::steady_clock::time_point since;
  };
  Handle Acquire();
  void Release(Handle handle) noexcept;

  CurlTimeouts timeouts_;
  std::mutex mutex_;
  std::deque<Idle> idle_;  // most recently used at the back: its connection is the freshest
};

}  // namespace pillivery::payment
