#include "infra/redis_client.hpp"

#include "domain/error.hpp"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <cerrno>
#include <charconv>

namespace pillivery::infra {
namespace {

[[noreturn]] void BadUrl(const std::string& why) {
  throw domain::Error(domain::ErrorCode::kConfigInvalid, "redis.url: " + why);
}

int ParsePart(std::string_view text, int lo, int hi, const char* what) {
  int value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size() || value < lo || value > hi)
    BadUrl(std::string("bad ") + what);
  return value;
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.text.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

RedisReply TakeReply(void* raw) {
  auto* reply = static_cast<redisReply*>(raw);
  RedisReply out = Convert(reply);
  freeReplyObject(reply);
  return out;
}

}  // namespace

RedisEndpoint RedisEndpoint::Parse(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) BadUrl("must start with redis://");
  url.remove_prefix(kScheme.size());
  RedisEndpoint endpoint;
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = url.substr(0, at);
    // redis://:password@host — a user name before the colon is ignored (Redis < 6 has none).
    auto colon = auth.find(':');
    endpoint.password = std::string(colon == std::string_view::npos ? auth : auth.substr(colon + 1));
    url.remove_prefix(at + 1);
  }
  std::string_view hostport = url.substr(0, url.find('/'));
  if (auto slash = url.find('/'); slash != std::string_view::npos && slash + 1 < url.size())
    endpoint.db = ParsePart(url.substr(slash + 1), 0, 1'000'000, "database number");
  auto colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    endpoint.port = ParsePart(hostport.substr(colon + 1), 1, 65535, "port");
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) BadUrl("no host");
  endpoint.host = std::string(hostport);
  return endpoint;
}

RedisConnection::RedisConnection(RedisOptions options) : options_(std::move(options)) {}

RedisConnection::~RedisConnection() { Disconnect(); }

void RedisConnection::Disconnect() {
  if (context_) redisFree(context_);
  context_ = nullptr;
}

void RedisConnection::Fail(const std::string& what) {
  std::string detail = what;
  if (context_ && context_->err) detail += ": " + std::string(context_->errstr);
  Disconnect();
  throw RedisError("redis " + options_.endpoint.host + ":" + std::to_string(options_.endpoint.port) + " " + detail);
}

void RedisConnection::EnsureConnected() {
  if (context_) return;
  const auto& e = options_.endpoint;
  context_ = redisConnectWithTimeout(e.host.c_str(), e.port, ToTimeval(options_.connect_timeout));
  if (!context_) throw RedisError("redis: out of memory");
  if (context_->err) Fail("connect");
  if (redisSetTimeout(context_, ToTimeval(options_.command_timeout)) != REDIS_OK) Fail("set timeout");
  // Finds a peer that vanished without closing (a subscriber would otherwise wait forever).
  redisEnableKeepAlive(context_);
  auto check = [&](const RedisArgv& argv, const char* what) {
    Append(argv);
    FlushOutput();
    RedisReply reply = ReadBlocking();
    if (reply.IsError()) {
      std::string text = reply.text;
      Disconnect();
      throw RedisError(std::string("redis ") + what + ": " + text);
    }
  };
  if (e.password) check({"AUTH", *e.password}, "AUTH");
  if (e.db != 0) check({"SELECT", std::to_string(e.db)}, "SELECT");
  if (!options_.client_name.empty()) check({"CLIENT", "SETNAME", options_.client_name}, "CLIENT SETNAME");
}

void RedisConnection::Append(const RedisArgv& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  args.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const auto& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), args.data(), lengths.data()) != REDIS_OK)
    Fail("append");
}

void RedisConnection::FlushOutput() {
  int done = 0;
  while (!done)
    if (redisBufferWrite(context_, &done) != REDIS_OK) Fail("write");
}

RedisReply RedisConnection::ReadBlocking() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || !raw) Fail("read");
  return TakeReply(raw);
}

RedisReply RedisConnection::Command(const RedisArgv& argv) {
  EnsureConnected();
  Append(argv);
  FlushOutput();
  return ReadBlocking();
}

std::vector<RedisReply> RedisConnection::Pipeline(const std::vector<RedisArgv>& commands) {
  EnsureConnected();
  for (const auto& argv : commands) Append(argv);
  FlushOutput();
  std::vector<RedisReply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) replies.push_back(ReadBlocking());
  return replies;
}

void RedisConnection::Send(const RedisArgv& argv) {
  EnsureConnected();
  Append(argv);
  FlushOutput();
}

std::optional<RedisReply> RedisConnection::Read(std::chrono::milliseconds timeout, int wake_fd) {
  if (!context_) throw RedisError("redis: not connected");
  void* raw = nullptr;
  // A reply may already be buffered from an earlier read.
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) Fail("read");
  if (raw) return TakeReply(raw);
  pollfd fds[2] = {{context_->fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return std::nullopt;
    Fail("poll");
  }
  if (ready == 0 || fds[0].revents == 0) return std::nullopt;
  if (redisBufferRead(context_) != REDIS_OK) Fail("read");
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) Fail("read");
  if (!raw) return std::nullopt;  // part of a reply so far
  return TakeReply(raw);
}

RedisClient::RedisClient(RedisOptions options, std::size_t size, std::chrono::milliseconds acquire_timeout,
                         prometheus::Registry* registry)
    : options_(std::move(options)), size_(std::max<std::size_t>(1, size)), acquire_timeout_(acquire_timeout) {
  if (registry)
    errors_ = &prometheus::BuildCounter()
                   .Name("pillivery_redis_errors_total")
                   .Help("Failed Redis calls by operation (connection, timeout or command errors)")
                   .Register(*registry);
}

RedisClient::~RedisClient() = default;

void RedisClient::CountError(const std::string& operation) {
  if (errors_) errors_->Add({{"operation", operation}}).Increment();
}

std::unique_ptr<RedisConnection> RedisClient::Take() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || created_ < size_; }))
    throw RedisError("redis: no free connection within the acquire timeout");
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++created_;
  return std::make_unique<RedisConnection>(options_);
}

void RedisClient::Give(std::unique_ptr<RedisConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

RedisReply RedisClient::Command(const RedisArgv& argv) {
  auto connection = Take();
  try {
    RedisReply reply = connection->Command(argv);
    Give(std::move(connection));
    return reply;
  } catch (...) {
    Give(std::move(connection));  // disconnected: it reconnects on its next use
    throw;
  }
}

std::vector<RedisReply> RedisClient::Pipeline(const std::vector<RedisArgv>& commands) {
  auto connection = Take();
  try {
    auto replies = connection->Pipeline(commands);
    Give(std::move(connection));
    return replies;
  } catch (...) {
    Give(std::move(connection));
    throw;
  }
}

}  // namespace pillivery::infra
