// Server::Impl's connection loop: accept, one session coroutine per
// connection (read, answer, write, repeat), and a request's way through its
// fast path, a pool and the middleware chain.
#include "http/middleware.hpp"
#include "http/request_reading.hpp"
#include "http/server_impl.hpp"
#include "infra/log.hpp"

#include <algorithm>
#include <array>
#include <tuple>

namespace pillivery::http {

namespace {

using BeastResponse = bhttp::response<bhttp::string_body>;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
// After an error answer the client may still be sending; reading it for a
// moment before closing keeps the kernel from resetting the connection (and
// discarding our answer) because of unread data.
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerMaxBytes = 4 * 1024 * 1024;

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

asio::awaitable<void> Server::Impl::Listen() {
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

asio::awaitable<void> Server::Impl::Session(tcp::socket socket, Ticket ticket) {
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
asio::awaitable<void> Server::Impl::Serve(beast::tcp_stream& stream, SessionState& state, const std::string& peer) {
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
asio::awaitable<void> Server::Impl::AnswerAndLinger(beast::tcp_stream& stream, Response response, unsigned version) {
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

asio::awaitable<Response> Server::Impl::Handle(Request& request) {
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
std::optional<Response> Server::Impl::TryFastPath(const FastPath& fast_path, Request& request) noexcept {
  try {
    return fast_path(request);
  } catch (...) {
    return std::nullopt;
  }
}

Response Server::Impl::RunChain(Request& request) noexcept {
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

}  // namespace pillivery::http
