#pragma once
// Server::Impl, shared by the two files it is defined in: server.cpp (start,
// drain, stop, the registry of sessions) and connection_loop.cpp (accept, the
// session loop, handing a request to the chain). Internal to http/: it names
// Beast and Asio types.
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace pillivery::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

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

  Impl(ServerOptions options, const Router& router, std::vector<Middleware> chain);
  ~Impl();

  std::uint16_t Start();
  void Stop();
  void BeginDrain() { draining_ = true; }
  void Wait();

 private:
  // server.cpp
  void RunIo();
  void Unregister(std::uint64_t id);
  bool WaitForSessions(std::chrono::milliseconds timeout);
  void CloseSessions(bool only_idle);

  // connection_loop.cpp
  asio::awaitable<void> Listen();
  asio::awaitable<void> Session(tcp::socket socket, Ticket ticket);
  asio::awaitable<void> Serve(beast::tcp_stream& stream, SessionState& state, const std::string& peer);
  asio::awaitable<void> AnswerAndLinger(beast::tcp_stream& stream, Response response, unsigned version);
  asio::awaitable<Response> Handle(Request& request);
  static std::optional<Response> TryFastPath(const FastPath& fast_path, Request& request) noexcept;
  Response RunChain(Request& request) noexcept;

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

}  // namespace pillivery::http
