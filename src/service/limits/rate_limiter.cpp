#include "service/limits/rate_limiter.hpp"

#include "domain/error.hpp"
#include "domain/user.hpp"
#include "infra/log.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace pillivery::service {

namespace {

// KEYS[1] bucket; ARGV capacity, period ms, now ms. Returns the wait in ms (0: taken).
constexpr const char* kTakeScript = R"lua(
local capacity = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then tokens = capacity; at = now end
if now > at then tokens = math.min(capacity, tokens + (now - at) * capacity / period) end
if now < at then now = at end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * period / capacity) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], period)
return wait
)lua";

std::int64_t EpochMs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::optional<RateLimit> RateLimit::Parse(std::string_view setting, std::string_view text) {
  if (text.empty() || text == "off") return std::nullopt;
  auto bad = [&] {
    return domain::Error(
        domain::ErrorCode::kConfigInvalid,
        std::string(setting) + ": expected N/period (e.g. 10/1m, 100/1h) or off, got '" + std::string(text) + "'");
  };
  auto slash = text.find('/');
  if (slash == std::string_view::npos) throw bad();
  int count = 0;
  auto head = text.substr(0, slash);
  auto [p, ec] = std::from_chars(head.data(), head.data() + head.size(), count);
  if (ec != std::errc{} || p != head.data() + head.size() || count < 1) throw bad();
  auto tail = text.substr(slash + 1);
  if (tail.empty()) throw bad();
  char unit = tail.back();
  tail.remove_suffix(1);
  int amount = 1;
  if (!tail.empty()) {
    auto [q, ec2] = std::from_chars(tail.data(), tail.data() + tail.size(), amount);
    if (ec2 != std::errc{} || q != tail.data() + tail.size() || amount < 1) throw bad();
  }
  std::chrono::milliseconds unit_ms{0};
  switch (unit) {
    case 's':
      unit_ms = std::chrono::seconds(1);
      break;
    case 'm':
      unit_ms = std::chrono::minutes(1);
      break;
    case 'h':
      unit_ms = std::chrono::hours(1);
      break;
    case 'd':
      unit_ms = std::chrono::hours(24);
      break;
    default:
      throw bad();
  }
  return RateLimit{static_cast<double>(count), unit_ms * amount};
}

std::int64_t TakeToken(BucketState& state, const RateLimit& limit, std::int64_t now_ms) {
  double period = static_cast<double>(limit.period.count());
  if (now_ms > state.at_ms) {
    state.tokens =
        std::min(limit.capacity, state.tokens + static_cast<double>(now_ms - state.at_ms) * limit.capacity / period);
    state.at_ms = now_ms;
  }
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return 0;
  }
  return static_cast<std::int64_t>(std::ceil((1 - state.tokens) * period / limit.capacity));
}

RateLimiter::RateLimiter(const infra::Clock& clock, infra::RedisClient* redis, std::string key_prefix,
                         std::size_t max_buckets)
    : clock_(clock), redis_(redis), prefix_(std::move(key_prefix)), max_buckets_(max_buckets) {}

void RateLimiter::Take(const std::string& key, const RateLimit& limit) {
  auto now = EpochMs(clock_.Now());
  std::optional<std::int64_t> wait;
  if (redis_) wait = TakeInRedis(key, limit, now);
  if (!wait) wait = TakeInMemory(key, limit, now);
  if (*wait > 0)
    throw domain::RateLimitedError(domain::ErrorCode::kRateLimited, "Too many requests; try again later.",
                                   std::max<std::int64_t>(1, (*wait + 999) / 1000));
}

std::int64_t RateLimiter::TakeInMemory(const std::string& key, const RateLimit& limit, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= max_buckets_ && !buckets_.contains(key)) {
    // A bucket refilled to capacity is what a new one would be: forget those.
    std::erase_if(buckets_, [&](auto& entry) {
      BucketState probe = entry.second;
      TakeToken(probe, limit, now_ms);
      return probe.tokens + 1 >= limit.capacity;
    });
    if (buckets_.size() >= max_buckets_) buckets_.clear();
  }
  auto [it, inserted] = buckets_.try_emplace(key, BucketState{limit.capacity, now_ms});
  return TakeToken(it->second, limit, now_ms);
}

std::optional<std::int64_t> RateLimiter::TakeInRedis(const std::string& key, const RateLimit& limit,
                                                     std::int64_t now_ms) {
  try {
    auto reply =
        redis_->Command({"EVAL", kTakeScript, "1", prefix_ + "ratelimit:" + key, std::to_string(limit.capacity),
                         std::to_string(limit.period.count()), std::to_string(now_ms)});
    if (reply.type == infra::RedisReply::Type::kInteger) return reply.integer;
    infra::LogWarn("rate limit script failed; using this server's buckets", {{"reply", reply.text}});
  } catch (const infra::RedisError& error) {
    infra::LogWarn("redis unreachable; rate limits use this server's buckets", {{"error", error.what()}});
  }
  redis_->CountError("rate_limit");
  return std::nullopt;
}

std::string HashedKey(std::string_view text) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto byte : hash) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0xF];
  }
  return out;
}

}  // namespace pillivery::service
