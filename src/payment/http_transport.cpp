#include "payment/http_transport.hpp"

#include <curl/curl.h>

namespace pillivery::payment {
namespace {

// A gateway answer is a few KB; a body beyond this is not KakaoPay talking.
constexpr std::size_t kMaxBodyBytes = 1 << 20;
// A kept-alive connection idle this long is closed rather than reused: below the
// keep-alive timeout of our own server (60 s) and of common load balancers, so
// we rarely send into a connection the gateway is closing at that moment.
constexpr std::chrono::seconds kMaxIdle{20};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * count;
  if (body->size() + bytes > kMaxBodyBytes) return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
  body->append(data, bytes);
  return bytes;
}

// libcurl sends a request again by itself, on a fresh connection, when a
// reused one died before any answer byte. That is safe only while not one
// byte of the request had left; a re-sent approve or charge must otherwise
// be our decision (kLostAfterSend), as it is on a fresh connection.
struct Attempts {
  CURL* handle = nullptr;
  int requests = 0;  // requests libcurl started on a connection
  bool resend_refused = false;
};

int BeforeRequest(void* user, char* /*conn_primary_ip*/, char* /*conn_local_ip*/, int /*conn_primary_port*/,
                  int /*conn_local_port*/) {
  auto* attempts = static_cast<Attempts*>(user);
  if (attempts->requests++ > 0) {
    long request_bytes = 0;  // of every request this transfer issued so far
    curl_easy_getinfo(attempts->handle, CURLINFO_REQUEST_SIZE, &request_bytes);
    if (request_bytes > 0) {
      attempts->resend_refused = true;
      return CURL_PREREQFUNC_ABORT;
    }
  }
  return CURL_PREREQFUNC_OK;
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Errors that happen before a single byte of the request could leave.
bool IsConnectError(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return true;
    default:
      return false;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

void CurlTransport::HandleDeleter::operator()(void* handle) const { curl_easy_cleanup(handle); }

CurlTransport::CurlTransport(CurlTimeouts timeouts) : timeouts_(timeouts) { InitCurlOnce(); }

CurlTransport::~CurlTransport() = default;

CurlTransport::Handle CurlTransport::Acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Handle handle = std::move(idle_.back().handle);
      idle_.pop_back();
      return handle;
    }
  }
  return Handle(curl_easy_init());
}

void CurlTransport::Release(Handle handle) noexcept {
  // Drops the options that point into the finished call; keeps the connection.
  curl_easy_reset(handle.get());
  auto now = std::chrono::steady_clock::now();
  std::vector<Handle> expired;  // closed outside the lock
  try {
    std::lock_guard lock(mutex_);
    idle_.push_back({std::move(handle), now});
    // After a burst, handles beyond the usual concurrency would keep their
    // connections open forever at the cold end of the pool.
    while (!idle_.empty() && now - idle_.front().since > kMaxIdle) {
      expired.push_back(std::move(idle_.front().handle));
      idle_.pop_front();
    }
  } catch (...) {
    // Out of memory: the handle (if not pooled) and its connection just close.
  }
}

HttpExchange CurlTransport::Post(const std::string& url, const std::vector<std::string>& headers,
                                 const std::string& body) {
  HttpExchange exchange;
  struct Lease {
    CurlTransport& transport;
    Handle handle;
    ~Lease() {
      if (handle) transport.Release(std::move(handle));
    }
  } lease{*this, Acquire()};
  if (!lease.handle) {
    exchange.fate = HttpExchange::Fate::kNotSent;
    exchange.error = "curl_easy_init failed";
    return exchange;
  }
  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  std::vector<std::string> all_headers = headers;
  all_headers.emplace_back("Expect:");  // no 100-continue round trip, whatever the body size
  for (const auto& header : all_headers) {
    curl_slist* grown = curl_slist_append(header_list.get(), header.c_str());
    if (!grown) {
      exchange.fate = HttpExchange::Fate::kNotSent;
      exchange.error = "out of memory building headers";
      return exchange;
    }
    (void)header_list.release();
    header_list.reset(grown);
  }
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURL* h = lease.handle.get();
  Attempts attempts{h};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, BeforeRequest);
  curl_easy_setopt(h, CURLOPT_PREREQDATA, &attempts);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange.body);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts_.connect.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts_.response.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are multithreaded
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_MAXAGE_CONN, static_cast<long>(kMaxIdle.count()));
  CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &exchange.status);
    exchange.fate = HttpExchange::Fate::kAnswered;
    return exchange;
  }
  exchange.error = std::string(curl_easy_strerror(code)) + (error_buffer[0] ? std::string(": ") + error_buffer : "");
  if (attempts.resend_refused) {
    // A reused connection died after (some of) the request had gone out on it.
    exchange.error = "connection lost after the request was sent (" + exchange.error + ")";
    exchange.fate = HttpExchange::Fate::kLostAfterSend;
    return exchange;
  }
  long request_bytes = 0;
  curl_off_t pretransfer_us = 0;
  curl_off_t uploaded = 0;
  curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
  curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &uploaded);
  // A timeout counts as "not sent" only if the transfer never began: the
  // connect timeout fired (or TLS never finished) and no request byte left.
  bool never_started = code == CURLE_OPERATION_TIMEDOUT && request_bytes == 0 && pretransfer_us == 0;
  // The body is framed by Content-Length, so a gateway cannot act on a request
  // whose body did not all leave: a reset or close before that is "not sent" too.
  bool body_incomplete = uploaded < static_cast<curl_off_t>(body.size());
  exchange.fate = IsConnectError(code) || never_started || body_incomplete ? HttpExchange::Fate::kNotSent
                                                                           : HttpExchange::Fate::kLostAfterSend;
  return exchange;
}

}  // namespace pillivery::payment
