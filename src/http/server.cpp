#include "http/server.hpp"

#include "http/middleware.hpp"
#include "infra/log.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace pillivery::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

using Parser = bhttp::request_parser<bhttp::string_body>;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
// After an error answer the client may still be sending; reading it for a
// moment before closing keeps the kernel from resetting the connection (and
// discarding our answer) because of unread data.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerMaxBytes = 4 * 1024 * 1024;
constexpr std::chrono::milliseconds kForcedCloseWait{500};

std::size_t LargestBodyLimit(const ServerOptions& options) {
  auto body = options.body_limit;
  for (const auto& large : options.large_bodies) body = std::max(body, large.limit);
  return body;
}

// The parser admits the largest body any route takes; once the header is read
// the request's own limit replaces it (BodyLimitFor).
void ConfigureParser(Parser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(static_cast<std::uint64_t>(LargestBodyLimit(options)));
}

// The largest flat_buffer a session needs: a header, a body and some pipelined
// bytes. Bounds memory per connection whatever the client sends.
std::size_t BufferLimit(const ServerOptions& options) {
  constexpr std::size_t kSlack = 64 * 1024;
  auto body = LargestBodyLimit(options);
  auto max = std::numeric_limits<std::size_t>::max();
  if (body > max - options.header_limit - kSlack) return max;
  return options.header_limit + body + kSlack;
}

// The body limit of a request whose header has been read: body_limit unless a
// LargeBody entry names its method and path.
std::size_t BodyLimitFor(const ServerOptions& options, const bhttp::request_header<>& header) {
  auto target = std::string_view(header.target().data(), header.target().size());
  target = target.substr(0, target.find('?'));
  auto method = std::string_view(header.method_string().data(), header.method_string().size());
  for (const auto& large : options.large_bodies) {
    if (method == large.method && target.size() > large.path_prefix.size() + large.path_suffix.size() &&
        target.starts_with(large.path_prefix) && target.ends_with(large.path_suffix))
      return large.limit;
  }
  return options.body_limit;
}

// The status a failed read answers; 0: nothing to answer (closed, timed out).
int StatusForReadError(const beast::error_code& ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_target).category();
  if (ec.category() != http_category) return 0;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == bhttp::error::short_read) {
    return 0;
  }
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow) return 413;
  return 400;
}

Response EdgeProblem(int status) {
  switch (status) {
    case 413:
      return ProblemResponse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    case 431:
      return ProblemResponse(431, "HEADERS_TOO_LARGE", "The request headers are too large.");
    default:
      return ProblemResponse(400, "MALFORMED_REQUEST", "The request is not valid HTTP/1.1.");
  }
}

// Headers that must appear at most once: a proxy in front and this server
// could otherwise each believe a different copy (RFC 9110 §5.3).
constexpr std::array<std::string_view, 7> kSingleValuedHeaders = {
    "Host", "Content-Length", "Content-Type", "Authorization", "X-Internal-Token", "Idempotency-Key", "X-Request-Id"};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// What Beast accepts but a request must not be served with (RFC 9112 §3.2,
// §6.1, §6.3): a Transfer-Encoding whose last coding is not chunked (its body
// length is unknowable, so the bytes after it would run as a second request),
// Transfer-Encoding beside Content-Length, a missing (HTTP/1.1) or repeated
// Host, and a repeated single-valued header. Checked once the header is read,
// before any body: the answer is 400 and the connection is closed.
std::optional<Response> HeaderViolation(const bhttp::request_header<>& header) {
  std::size_t hosts = 0;
  std::string codings;
  bool has_transfer_encoding = false;
  for (auto name : kSingleValuedHeaders) {
    auto count = header.count(beast::string_view(name.data(), name.size()));
    if (name == "Host")
      hosts = count;
    else if (count > 1)
      return ProblemResponse(400, "REPEATED_HEADER", "The " + std::string(name) + " header must be sent once.");
  }
  if (hosts > 1 || (hosts == 0 && header.version() >= 11))
    return ProblemResponse(400, "BAD_HOST", "An HTTP/1.1 request carries exactly one Host header.");
  for (auto range = header.equal_range(bhttp::field::transfer_encoding); range.first != range.second; ++range.first) {
    has_transfer_encoding = true;
    if (!codings.empty()) codings += ',';
    auto value = range.first->value();
    codings.append(value.data(), value.size());
  }
  if (!has_transfer_encoding) return std::nullopt;
  auto bad_framing = [] {
    return ProblemResponse(400, "BAD_FRAMING", "Transfer-Encoding must end in chunked and stand alone.");
  };
  if (header.version() < 11 || header.count(bhttp::field::content_length) > 0) return bad_framing();
  std::string_view list = codings;
  std::string_view last;
  int chunked = 0;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto coding = Trim(list.substr(0, comma));
    if (!coding.empty()) {
      last = coding;
      if (IEquals(coding, "chunked")) ++chunked;
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  if (chunked != 1 || !IEquals(last, "chunked")) return bad_framing();
  return std::nullopt;
}

// Fills everything but peer_address; false when the target is not origin-form.
bool BuildRequest(BeastRequest&& message, Request& request) {
  auto target = message.target();
  auto url = boost::urls::parse_origin_form(boost::core::string_view(target.data(), target.size()));
  if (!url) return false;
  auto method = message.method_string();
  request.method.assign(method.data(), method.size());
  request.target.assign(target.data(), target.size());
  request.path = url->path();
  for (auto param : url->params()) request.query.emplace_back(param.key, param.value);
  for (const auto& field : message) {
    auto name = field.name_string();
    auto value = field.value();
    request.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
  }
  request.body = std::move(message.body());
  return true;
}

BeastResponse ToBeast(Response response, unsigned version, bool keep_alive, bool head) {
  BeastResponse out{static_cast<bhttp::status>(response.status), version};
  out.set(bhttp::field::server, "pillivery");
  for (auto& [name, value] : response.headers) {
    // Framing is ours to decide; a handler must not be able to break it.
    if (IEquals(name, "Content-Length") || IEquals(name, "Transfer-Encoding") || IEquals(name, "Connection")) {
      continue;
    }
    out.insert(name, value);
  }
  out.keep_alive(keep_alive);
  int status = response.status;
  bool bodyless = (status >= 100 && status < 200) || status == 204 || status == 304;
  if (bodyless) return out;  // RFC 9110: no content, no Content-Length
  if (!response.content_type.empty()) {
    out.set(bhttp::field::content_type, response.content_type);
  } else if (!response.body.empty()) {
    out.set(bhttp::field::content_type, "application/octet-stream");
  }
  // HEAD announces the length the GET body would have and sends none.
  out.content_length(response.body.size());
  if (!head) out.body() = std::move(response.body);
  return out;
}

}  // namespace

std::string ClientAddress(const Request& request, const std::string& peer, const infra::NetworkList& trusted) {
  if (trusted.Empty() || !trusted.Contains(peer)) return peer;
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers) {
    if (!IEquals(name, "X-Forwarded-For")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      auto comma = list.find(',');
      hops.push_back(Trim(list.substr(0, comma)));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  std::string client = peer;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!infra::NetworkList::IsAddress(*hop)) break;
    client = std::string(*hop);
    if (!trusted.Contains(client)) break;
  }
  return client;
}

ParsedRequest ParseRequest(std::string_view raw, const ServerOptions& options) {
  ParsedRequest result;
  Parser parser;
  ConfigureParser(parser, options);
  parser.eager(true);
  beast::error_code ec;
  std::size_t consumed = 0;
  bool header_checked = false;
  while (!parser.is_done() && consumed < raw.size()) {
    auto used = parser.put(asio::buffer(raw.data() + consumed, raw.size() - consumed), ec);
    consumed += used;
    if (ec == bhttp::error::need_more) return result;  // a partial request
    if (ec) {
      result.error_status = StatusForReadError(ec);
      return result;
    }
    if (parser.is_header_done() && !header_checked) {
      header_checked = true;
      if (auto violation = HeaderViolation(parser.get().base())) {
        result.error_status = violation->status;
        return result;
      }
      auto limit = BodyLimitFor(options, parser.get().base());
      if (parser.content_length() && *parser.content_length() > limit) {
        result.error_status = 413;
        return result;
      }
      parser.body_limit(static_cast<std::uint64_t>(limit));
    }
    if (used == 0) break;
  }
  if (!parser.is_done()) return result;
  if (!BuildRequest(parser.release(), result.request)) {
    result.error_status = 400;
    return result;
  }
  result.complete = true;
  return result;
}

struct Server::Impl {
  // What Stop() needs to reach a session; touched only on the session's strand.
  struct SessionState {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool idle = false;  // waiting for the first byte of the next request
  };

  // Keeps the session registered for as long as its coroutine frame lives, so
  // Stop() counts it even if the frame is destroyed without running.
  class Ticket {
   public:
    Ticket(Impl* impl, std::uint64_t id, std::shared_ptr<SessionState> state)
        : impl_(impl), id_(id), state_(std::move(state)) {}
    Ticket(Ticket&& other) noexcept
        : impl_(std::exchange(other.impl_, nullptr)), id_(other.id_), state_(std::move(other.state_)) {}
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (impl_) impl_->Unregister(id_);
    }
    SessionState& State() const { return *state_; }

   private:
    Impl* impl_;
    std::uint64_t id_;
    std::shared_ptr<SessionState> state_;
  };

  // Clears SessionState::stream however the session ends.
  struct StreamRegistration {
    SessionState& state;
    ~StreamRegistration() {
      state.stream = nullptr;
      state.idle = false;
    }
  };

  Impl(ServerOptions options, const Router& router, std::vector<Middleware> chain)
      : options_(std::move(options)),
        router_(router),
        ioc_(std::max(1, options_.io_threads)),
        workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
        gateway_workers_(static_cast<std::size_t>(std::max(1, options_.gateway_threads))),
        acceptor_(asio::make_strand(ioc_)) {
    Handler step = [this](Request& request) { return router_.Dispatch(request); };
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      step = [middleware = std::move(*it), next = std::move(step)](Request& request) {
        return middleware(request, next);
      };
    }
    chain_ = std::move(step);
  }

  ~Impl() { Stop(); }

  std::uint16_t Start() {
    std::lock_guard lock(stop_mutex_);
    if (started_ || stopped_) throw std::logic_error("Server::Start called twice or after Stop");
    try {
      tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
      acceptor_.open(endpoint.protocol());
      acceptor_.set_option(asio::socket_base::reuse_address(true));
      acceptor_.bind(endpoint);
      acceptor_.listen(asio::socket_base::max_listen_connections);
    } catch (...) {
      beast::error_code ec;
      acceptor_.close(ec);  // so the caller may retry, e.g. on another port
      throw;
    }
    auto port = acceptor_.local_endpoint().port();
    asio::co_spawn(acceptor_.get_executor(), Listen(), asio::detached);
    for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
      threads_.emplace_back([this] { RunIo(); });
    }
    started_ = true;
    infra::LogInfo("http server listening", {{"address", options_.address}, {"port", port}});
    return port;
  }

  void Stop() {
    std::lock_guard lock(stop_mutex_);
    if (stopped_) return;
    if (started_) {
      stopping_ = true;
      asio::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
      });
      CloseSessions(/*only_idle=*/true);
      if (!WaitForSessions(options_.shutdown_grace)) {
        infra::LogWarn("http shutdown grace expired; closing connections",
                       {{"grace_ms", options_.shutdown_grace.count()}});
        CloseSessions(/*only_idle=*/false);
        WaitForSessions(kForcedCloseWait);
      }
      ioc_.stop();
      for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
      }
      // A handler cannot be interrupted; joining waits for any still running.
      workers_.join();
      gateway_workers_.join();
      infra::LogInfo("http server stopped");
    }
    {
      std::lock_guard wait_lock(wait_mutex_);
      stopped_ = true;
    }
    wait_cv_.notify_all();
  }

  void BeginDrain() { draining_ = true; }

  void Wait() {
    std::unique_lock lock(wait_mutex_);
    wait_cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  void RunIo() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& error) {
        infra::LogError("http io thread caught exception", {{"what", error.what()}});
      }
    }
  }

  void Unregister(std::uint64_t id) {
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.erase(id);
    }
    sessions_cv_.notify_all();
  }

  bool WaitForSessions(std::chrono::milliseconds timeout) {
    std::unique_lock lock(sessions_mutex_);
    return sessions_cv_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
  }

  void CloseSessions(bool only_idle) {
    std::vector<std::shared_ptr<SessionState>> states;
    {
      std::lock_guard lock(sessions_mutex_);
      for (auto& [id, state] : sessions_) states.push_back(state);
    }
    for (auto& state : states) {
      asio::post(state->executor, [state, only_idle] {
        if (!state->stream || (only_idle && !state->idle)) return;
        beast::error_code ec;
        state->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
        state->stream->close();
      });
    }
  }

  asio::awaitable<void> Listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), kUseTuple);
      if (stopping_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      if (ec) {
        // Typically out of file descriptors: back off instead of spinning.
        infra::LogWarn("http accept failed", {{"error", ec.message()}});
        asio::steady_timer timer(acceptor_.get_executor(), std::chrono::milliseconds(50));
        co_await timer.async_wait(kUseTuple);
        continue;
      }
      auto state = std::make_shared<SessionState>();
      state->executor = socket.get_executor();
      std::uint64_t id = 0;
      {
        std::lock_guard lock(sessions_mutex_);
        id = next_session_id_++;
        sessions_.emplace(id, state);
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket), Ticket(this, id, std::move(state))), asio::detached);
    }
  }

  asio::awaitable<void> Session(tcp::socket socket, Ticket ticket) {
    beast::tcp_stream stream(std::move(socket));
    SessionState& state = ticket.State();
    state.stream = &stream;
    StreamRegistration registration{state};
    std::string peer;
    {
      beast::error_code ec;
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) peer = endpoint.address().to_string();
    }
    try {
      co_await Serve(stream, state, peer);
    } catch (const std::exception& error) {
      infra::LogWarn("http session ended by exception", {{"what", error.what()}, {"peer", peer}});
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.socket().close(ec);
  }

  // One request at a time: read, handle, write, repeat. Pipelined requests wait
  // in `buffer`, so answers go out in the order the requests came in.
  asio::awaitable<void> Serve(beast::tcp_stream& stream, SessionState& state, const std::string& peer) {
    beast::flat_buffer buffer(BufferLimit(options_));
    for (;;) {
      if (buffer.size() == 0) {
        // Idle between requests: the idle timeout runs until the first byte.
        state.idle = true;
        if (stopping_) co_return;
        stream.expires_after(options_.idle_timeout);
        auto [ec, read] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kUseTuple);
        state.idle = false;
        if (ec) co_return;  // closed by the client, idle timeout, or Stop()
        buffer.commit(read);
      }

      // The read timeout covers the whole request from its first byte.
      stream.expires_after(options_.read_timeout);
      Parser parser;
      ConfigureParser(parser, options_);
      auto [ec, unused] = co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
      if (!ec) {
        if (auto violation = HeaderViolation(parser.get().base())) {
          co_await AnswerAndLinger(stream, std::move(*violation), parser.get().version());
          co_return;
        }
        // A declared length over this request's limit is refused before any body is read.
        auto limit = BodyLimitFor(options_, parser.get().base());
        if (parser.content_length() && *parser.content_length() > limit) {
          co_await AnswerAndLinger(stream, EdgeProblem(413), parser.get().version());
          co_return;
        }
        parser.body_limit(static_cast<std::uint64_t>(limit));
      }
      if (!ec && parser.get().version() >= 11 && !parser.is_done()) {
        auto expect = parser.get()[bhttp::field::expect];
        if (IEquals(expect, "100-continue")) {
          bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
          auto [write_ec, written] = co_await bhttp::async_write(stream, go_on, kUseTuple);
          if (write_ec) co_return;
        }
      }
      if (!ec) std::tie(ec, unused) = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
      if (ec) {
        int status = StatusForReadError(ec);
        if (status != 0) co_await AnswerAndLinger(stream, EdgeProblem(status), parser.get().version());
        co_return;
      }
      stream.expires_never();  // handlers may be slow; that is not the client's fault

      auto& message = parser.get();
      unsigned version = message.version();
      bool keep_alive = message.keep_alive();
      bool head = message.method() == bhttp::verb::head;
      Request request;
      request.peer_address = peer;
      Response response;
      if (BuildRequest(parser.release(), request)) {
        request.client_address = ClientAddress(request, peer, options_.trusted_proxies);
        response = co_await Handle(request);
      } else {
        response = ProblemResponse(400, "BAD_TARGET", "The request target is not a valid path.");
        response.SetHeader("X-Request-Id", NewRequestId());
        keep_alive = false;
      }
      if (response.abort_connection) {
        beast::error_code ignored;
        stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
        stream.close();  // with linger 0 the kernel sends a reset, not a FIN
        co_return;
      }
      if (stopping_ || draining_) keep_alive = false;

      auto out = ToBeast(std::move(response), version, keep_alive, head);
      stream.expires_after(options_.read_timeout);  // a client that never reads must not pin us
      auto [write_ec, written] = co_await bhttp::async_write(stream, out, kUseTuple);
      if (write_ec || !keep_alive) co_return;
    }
  }

  // Answers a request we could not read, then closes without a reset.
  asio::awaitable<void> AnswerAndLinger(beast::tcp_stream& stream, Response response, unsigned version) {
    response.SetHeader("X-Request-Id", NewRequestId());
    auto out = ToBeast(std::move(response), version == 10 ? 10 : 11, false, false);
    stream.expires_after(options_.read_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, out, kUseTuple);
    if (write_ec) co_return;
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::min(kLingerTime, options_.read_timeout));
    std::array<char, 8192> sink;
    std::size_t drained = 0;
    while (drained < kLingerMaxBytes) {
      auto [read_ec, read] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
      if (read_ec) break;
      drained += read;
    }
  }

  asio::awaitable<Response> Handle(Request& request) {
    auto match = router_.Find(request.method, request.path);
    // Set before the chain so middleware labels 404s too.
    request.route = match.handler ? match.route : "unmatched";
    if (match.handler) {
      request.handler = match.handler;
      request.path_params = std::move(match.params);
    }
    if (match.fast_path) request.prepared = TryFastPath(*match.fast_path, request);
    if (!request.prepared && request.delay.count() > 0) {
      // Waiting on a timer holds no thread, however many requests wait.
      asio::steady_timer timer(co_await asio::this_coro::executor, request.delay);
      co_await timer.async_wait(kUseTuple);
    }
    if (match.handler && !request.prepared && match.execution != Execution::kInline) {
      // The I/O thread only waits by suspending this coroutine; the handler
      // runs on a pool and the result comes back on our strand.
      auto& pool = match.execution == Execution::kGateway ? gateway_workers_ : workers_;
      co_return co_await asio::co_spawn(
          pool.get_executor(), [this, &request]() -> asio::awaitable<Response> { co_return RunChain(request); },
          asio::use_awaitable);
    }
    co_return RunChain(request);
  }

  // A fast path that fails for any reason just hands over to the handler.
  static std::optional<Response> TryFastPath(const FastPath& fast_path, Request& request) noexcept {
    try {
      return fast_path(request);
    } catch (...) {
      return std::nullopt;
    }
  }

  Response RunChain(Request& request) noexcept {
    Response response;
    try {
      return chain_(request);
    } catch (const std::exception& error) {
      infra::LogError("exception escaped the middleware chain",
                      {{"what", error.what()}, {"request_id", request.request_id}, {"route", request.route}});
    } catch (...) {
      infra::LogError("non-standard exception escaped the middleware chain",
                      {{"request_id", request.request_id}, {"route", request.route}});
    }
    try {
      response = ProblemResponse(500, "INTERNAL_ERROR", "An unexpected error occurred.");
      response.SetHeader("X-Request-Id", request.request_id.empty() ? NewRequestId() : request.request_id);
    } catch (...) {
      response = Response{};
      response.status = 500;
    }
    return response;
  }

  ServerOptions options_;
  const Router& router_;
  Handler chain_;

  std::mutex stop_mutex_;  // serializes Start and Stop
  bool started_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> draining_{false};
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  bool stopped_ = false;  // guarded by wait_mutex_ (written under stop_mutex_ too)

  std::mutex sessions_mutex_;
  std::condition_variable sessions_cv_;
  std::map<std::uint64_t, std::shared_ptr<SessionState>> sessions_;
  std::uint64_t next_session_id_ = 0;

  // Declared after the registry: destroying the io_context destroys suspended
  // session frames, whose tickets still unregister themselves.
  asio::io_context ioc_;
  asio::thread_pool workers_;
  asio::thread_pool gateway_workers_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

Server::Server(ServerOptions options, const Router& router, std::vector<Middleware> chain)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(chain))) {}

Server::~Server() = default;

std::uint16_t Server::Start() { return impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
void Server::BeginDrain() { impl_->BeginDrain(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace pillivery::http
