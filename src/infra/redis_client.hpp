#pragma once
// A thin wrapper over hiredis 0.14 (blocking): one connection, and a small
// bounded pool of them. Blocking calls: use them from background threads or
// the worker pool, never from an I/O thread. No hiredis type leaks out.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
namespace prometheus {
class Counter;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace pillivery::infra {

// redis://[:password@]host[:port][/db]; throws domain::Error CONFIG_INVALID.
struct RedisEndpoint {
  std::string host;
  int port = 6379;
  int db = 0;
  std::optional<std::string> password;
  static RedisEndpoint Parse(std::string_view url);
};

struct RedisOptions {
  RedisEndpoint endpoint;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{1000};
  std::string client_name;  // CLIENT SETNAME, so CLIENT LIST shows who is who (no spaces)
};

// A reply copied out of hiredis. Command errors ("-WRONGTYPE …") are replies
// of type kError, not exceptions: the connection is still fine.
struct RedisReply {
  enum class Type { kNil, kInteger, kString, kStatus, kError, kArray };
  Type type = Type::kNil;
  long long integer = 0;
  std::string text;  // kString, kStatus, kError
  std::vector<RedisReply> elements;

  bool IsError() const { return type == Type::kError; }
};

// The connection failed (refused, timed out, closed, protocol error). The
// connection is dropped; the next call on it connects again.
class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using RedisArgv = std::vector<std::string>;

// One connection; not thread-safe. Connects lazily and again after a failure.
class RedisConnection {
 public:
  explicit RedisConnection(RedisOptions options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  RedisReply Command(const RedisArgv& argv);
  // Every command written at once, then every reply read: one round trip.
  std::vector<RedisReply> Pipeline(const std::vector<RedisArgv>& commands);

  // Subscriber mode: Send writes a command without reading; Read waits up to
  // `timeout` for the next reply (pushed messages included). Read returns
  // nothing on timeout, or at once when `wake_fd` becomes readable.
  void Send(const RedisArgv& argv);
  std::optional<RedisReply> Read(std::chrono::milliseconds timeout, int wake_fd = -1);

  bool Connected() const { return context_ != nullptr; }
  void Disconnect();

 private:
  void EnsureConnected();
  void Append(const RedisArgv& argv);
  void FlushOutput();
  RedisReply ReadBlocking();
  [[noreturn]] void Fail(const std::string& what);

  RedisOptions options_;
  redisContext* context_ = nullptr;
};

// A bounded pool: at most `size` connections, made on demand; a caller waits
// at most `acquire_timeout` for a free one (then RedisError). Thread-safe.
class RedisClient {
 public:
  RedisClient(RedisOptions options, std::size_t size = 4,
              std::chrono::milliseconds acquire_timeout = std::chrono::seconds(1),
              prometheus::Registry* registry = nullptr);
  ~RedisClient();

  RedisReply Command(const RedisArgv& argv);
  std::vector<RedisReply> Pipeline(const std::vector<RedisArgv>& commands);
  const RedisOptions& Options() const { return options_; }

  // pillivery_redis_errors_total{operation}: callers count their failures here.
  void CountError(const std::string& operation);

 private:
  std::unique_ptr<RedisConnection> Take();
  void Give(std::unique_ptr<RedisConnection> connection);

  RedisOptions options_;
  std::size_t size_;
  std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
  std::size_t created_ = 0;
  prometheus::Family<prometheus::Counter>* errors_ = nullptr;
};

}  // namespace pillivery::infra
