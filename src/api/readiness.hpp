#pragma once
// What GET /health/ready reports besides the database: Redis when the server
// is one of several (redis.url set), and whether it is draining (SIGTERM
// received, stop in progress) so a balancer that polls readiness sends it no
// new work before it stops.
#include "infra/redis_client.hpp"

#include <atomic>
#include <optional>

namespace pillivery::api {

class Readiness {
 public:
  explicit Readiness(infra::RedisClient* redis) : redis_(redis) {}

  void BeginDrain() { draining_ = true; }
  bool Draining() const { return draining_; }

  // Whether Redis answers PING; nullopt when the server has no Redis. Blocks
  // up to the Redis timeouts: call it from a worker thread, never an I/O one.
  std::optional<bool> RedisUp() const {
    if (redis_ == nullptr) return std::nullopt;
    try {
      return !redis_->Command({"PING"}).IsError();
    } catch (const infra::RedisError&) {
      return false;
    }
  }

 private:
  infra::RedisClient* redis_;
  std::atomic<bool> draining_{false};
};

}  // namespace pillivery::api
