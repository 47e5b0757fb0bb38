#include "infra/redis_broadcast.hpp"

#include "infra/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <set>

namespace pillivery::infra {

namespace {
constexpr std::size_t kBatch = 256;
constexpr std::chrono::milliseconds kMinBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
}  // namespace

RedisBroadcast::RedisBroadcast(RedisClient& client, std::string channel, OnMessage on_message, OnResync on_resync,
                               std::size_t max_queued)
    : client_(client),
      channel_(std::move(channel)),
      on_message_(std::move(on_message)),
      on_resync_(std::move(on_resync)),
      max_queued_(std::max<std::size_t>(1, max_queued)) {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
}

RedisBroadcast::~RedisBroadcast() {
  Stop();
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

bool RedisBroadcast::Start(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!publisher_.joinable()) {
    stopping_ = false;
    publisher_ = std::thread([this] { PublishLoop(); });
    subscriber_ = std::thread([this] { SubscribeLoop(); });
  }
  return changed_.wait_for(lock, wait, [this] { return subscribed_; });
}

void RedisBroadcast::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  [[maybe_unused]] auto n = ::write(wake_pipe_[1], "x", 1);
  if (publisher_.joinable()) publisher_.join();
  if (subscriber_.joinable()) subscriber_.join();
  char drain[16];
  while (::read(wake_pipe_[0], drain, sizeof drain) > 0) {
  }
}

bool RedisBroadcast::Subscribed() {
  std::lock_guard lock(mutex_);
  return subscribed_;
}

void RedisBroadcast::Publish(std::string message) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queued_) {
      queue_.pop_front();
      client_.CountError("publish_dropped");
    }
    queue_.push_back(std::move(message));
  }
  changed_.notify_all();
}

bool RedisBroadcast::Pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, d, [this] { return stopping_; });
}

void RedisBroadcast::PublishLoop() {
  auto backoff = kMinBackoff;
  bool failing = false;
  for (;;) {
    std::vector<std::string> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left to send
      // Invalidations are idempotent: one copy of each per batch is enough.
      std::set<std::string> seen;
      while (!queue_.empty() && batch.size() < kBatch) {
        if (seen.insert(queue_.front()).second) batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<RedisArgv> commands;
    commands.reserve(batch.size());
    for (const auto& m : batch) commands.push_back({"PUBLISH", channel_, m});
    try {
      client_.Pipeline(commands);
      if (failing) LogInfo("redis publish recovered", {{"channel", channel_}});
      failing = false;
      backoff = kMinBackoff;
    } catch (const RedisError& e) {
      client_.CountError("publish");
      if (!failing) LogWarn("redis publish failed; other servers fall back to the cache TTL", {{"error", e.what()}});
      failing = true;
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;  // nobody will retry them
        for (auto it = batch.rbegin(); it != batch.rend() && queue_.size() < max_queued_; ++it)
          queue_.push_front(std::move(*it));
      }
      if (!Pause(backoff)) return;
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
  }
}

void RedisBroadcast::SubscribeLoop() {
  auto backoff = kMinBackoff;
  bool failing = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    RedisOptions options = client_.Options();
    options.client_name = "sub:" + channel_;
    RedisConnection connection(options);
    try {
      connection.Send({"SUBSCRIBE", channel_});
      for (;;) {
        auto reply = connection.Read(std::chrono::seconds(5), wake_pipe_[0]);
        {
          std::lock_guard lock(mutex_);
          if (stopping_) return;
        }
        if (!reply) continue;
        if (reply->type != RedisReply::Type::kArray || reply->elements.size() < 3) continue;
        const std::string& kind = reply->elements[0].text;
        if (kind == "subscribe") {
          // Whatever was published while we were not listening is lost: start over.
          on_resync_();
          if (failing) LogInfo("redis subscription restored", {{"channel", channel_}});
          failing = false;
          backoff = kMinBackoff;
          {
            std::lock_guard lock(mutex_);
            subscribed_ = true;
          }
          changed_.notify_all();
        } else if (kind == "message") {
          on_message_(reply->elements[2].text);
        }
      }
    } catch (const RedisError& e) {
      client_.CountError("subscribe");
      if (!failing)
        LogWarn("redis subscription lost; the cache falls back to its TTL until it is back", {{"error", e.what()}});
      failing = true;
    } catch (const std::exception& e) {
      // A message handler threw: drop the connection and resubscribe (with a resync).
      LogError("redis message handling failed", {{"error", e.what()}});
    }
    {
      std::lock_guard lock(mutex_);
      subscribed_ = false;
    }
    if (!Pause(backoff)) return;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace pillivery::infra
