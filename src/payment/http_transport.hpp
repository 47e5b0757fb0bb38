#pragma once
// One HTTP POST and what became of it, told apart the way a payment needs:
// answered, never sent (safe to try again), or lost after sending (the
// gateway may have acted). The seam lets tests feed the client odd answers.
#include <chrono>
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

// libcurl, one easy handle per call: a fresh connection every time. Reusing a
// kept-alive connection lets libcurl silently re-send a POST when the server
// closed it, and a re-sent approve or charge must always be our decision.
// Thread-safe; curl_global_init runs once per process.
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTimeouts timeouts);
  HttpExchange Post(const std::string& url, const std::vector<std::string>& headers,
                    const std::string& body) override;

 private:
  CurlTimeouts timeouts_;
};

}  // namespace pillivery::payment
