#pragma once
// Short messages to every server on one Redis channel (cache invalidation).
// Publish never blocks: messages are queued and sent by a publisher thread.
// A subscriber thread holds its own connection in SUBSCRIBE mode and hands
// every message to `on_message`; after each (re)subscription it calls
// `on_resync`, because messages sent while it was away are lost.
#include "infra/redis_client.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pillivery::infra {

class RedisBroadcast {
 public:
  using OnMessage = std::function<void(const std::string& message)>;
  using OnResync = std::function<void()>;

  RedisBroadcast(RedisClient& client, std::string channel, OnMessage on_message, OnResync on_resync,
                 std::size_t max_queued = 10'000);
  ~RedisBroadcast();
  RedisBroadcast(const RedisBroadcast&) = delete;
  RedisBroadcast& operator=(const RedisBroadcast&) = delete;

  // Starts both threads and waits up to `wait` for the first subscription, so
  // a server that starts serving also hears invalidations (false: not yet).
  bool Start(std::chrono::milliseconds wait = std::chrono::seconds(2));
  void Stop();
  // Queued for every server, this one included. While Redis is unreachable the
  // queue is kept and retried; past `max_queued` the oldest are dropped.
  void Publish(std::string message);
  bool Subscribed();

 private:
  void PublishLoop();
  void SubscribeLoop();
  // Sleeps up to `d` unless Stop() is called; false once stopping.
  bool Pause(std::chrono::milliseconds d);

  RedisClient& client_;
  std::string channel_;
  OnMessage on_message_;
  OnResync on_resync_;
  std::size_t max_queued_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  bool subscribed_ = false;
  int wake_pipe_[2] = {-1, -1};  // wakes the subscriber's poll() on Stop
  std::thread publisher_;
  std::thread subscriber_;
};

}  // namespace pillivery::infra
