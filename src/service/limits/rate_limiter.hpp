#pragma once
// Token buckets against floods (issue #13): sign-up, login, order, payment and
// review POSTs, per client address and per account. A bucket holds `capacity`
// tokens and refills `capacity` every `period`; a request takes one or is
// refused (429 RATE_LIMITED with Retry-After). With Redis the buckets live
// there (one Lua script per take, so every server draws from the same bucket);
// while Redis is unreachable, or without it, each server keeps its own.
#include "infra/clock.hpp"
#include "infra/redis_client.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pillivery::service {

struct RateLimit {
  double capacity = 0;
  std::chrono::milliseconds period{0};
  // "N/period" with period as 30s, 1m, 10m, 1h (a bare unit means 1 of it);
  // "off" or "" → nothing. Throws domain::Error CONFIG_INVALID naming `setting`.
  static std::optional<RateLimit> Parse(std::string_view setting, std::string_view text);
};

// What the bucket arithmetic decides; pure, so both stores share it.
struct BucketState {
  double tokens = 0;
  std::int64_t at_ms = 0;
};
// Refills `state` up to `now_ms`, takes a token if there is one; returns the
// milliseconds until one would be there (0: taken).
std::int64_t TakeToken(BucketState& state, const RateLimit& limit, std::int64_t now_ms);

class RateLimiter {
 public:
  // redis may be null (single node). max_buckets bounds memory: past it, full
  // buckets (which say nothing a fresh one would not) are dropped.
  RateLimiter(const infra::Clock& clock, infra::RedisClient* redis, std::string key_prefix,
              std::size_t max_buckets = 200'000);

  // Takes a token from bucket `key` or throws domain::RateLimitedError (429 RATE_LIMITED).
  void Take(const std::string& key, const RateLimit& limit);

 private:
  std::int64_t TakeInMemory(const std::string& key, const RateLimit& limit, std::int64_t now_ms);
  std::optional<std::int64_t> TakeInRedis(const std::string& key, const RateLimit& limit, std::int64_t now_ms);

  const infra::Clock& clock_;
  infra::RedisClient* redis_;
  std::string prefix_;
  std::size_t max_buckets_;
  std::mutex mutex_;
  std::unordered_map<std::string, BucketState> buckets_;
};

// A stable, non-reversible bucket key for an email or other personal datum.
std::string HashedKey(std::string_view text);

}  // namespace pillivery::service
