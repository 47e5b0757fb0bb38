#include "http/server.hpp"

#include "http/server_impl.hpp"
#include "infra/log.hpp"

#include <algorithm>
#include <stdexcept>

namespace pillivery::http {

namespace {

constexpr std::chrono::milliseconds kForcedCloseWait{500};

}  // namespace

Server::Impl::Impl(ServerOptions options, const Router& router, std::vector<Middleware> chain)
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

Server::Impl::~Impl() { Stop(); }

std::uint16_t Server::Impl::Start() {
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

void Server::Impl::Stop() {
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

void Server::Impl::Wait() {
  std::unique_lock lock(wait_mutex_);
  wait_cv_.wait(lock, [this] { return stopped_; });
}

void Server::Impl::RunIo() {
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& error) {
      infra::LogError("http io thread caught exception", {{"what", error.what()}});
    }
  }
}

void Server::Impl::Unregister(std::uint64_t id) {
  {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(id);
  }
  sessions_cv_.notify_all();
}

bool Server::Impl::WaitForSessions(std::chrono::milliseconds timeout) {
  std::unique_lock lock(sessions_mutex_);
  return sessions_cv_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

void Server::Impl::CloseSessions(bool only_idle) {
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

Server::Server(ServerOptions options, const Router& router, std::vector<Middleware> chain)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(chain))) {}

Server::~Server() = default;

std::uint16_t Server::Start() { return impl_->Start(); }
void Server::Stop() { impl_->Stop(); }
void Server::BeginDrain() { impl_->BeginDrain(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace pillivery::http
