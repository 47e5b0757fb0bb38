// Issue #13 item 6: the token buckets behind the 429s, in memory and in Redis.
#include "service/limits/rate_limiter.hpp"

#include "domain/error.hpp"
#include "domain/user.hpp"
#include "infra/clock.hpp"
#include "infra/redis_client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace pillivery::service {
namespace {

using namespace std::chrono_literals;

TEST(RateLimitParse, ReadsCountAndPeriodOrOff) {
  auto limit = RateLimit::Parse("X", "10/1m");
  ASSERT_TRUE(limit);
  EXPECT_EQ(limit->capacity, 10);
  EXPECT_EQ(limit->period, std::chrono::milliseconds(60'000));
  EXPECT_EQ(RateLimit::Parse("X", "5/h")->period, std::chrono::milliseconds(3'600'000));
  EXPECT_EQ(RateLimit::Parse("X", "3/30s")->period, std::chrono::milliseconds(30'000));
  EXPECT_FALSE(RateLimit::Parse("X", "off"));
  for (const char* bad : {"10", "0/1m", "x/1m", "10/1y", "10/", "-1/1m", "10/0m"})
    EXPECT_THROW(RateLimit::Parse("X", bad), domain::Error) << bad;
}

TEST(TakeToken, SpendsTheBurstThenRefillsAtTheRate) {
  RateLimit limit{3, 60'000ms};
  BucketState state{3, 0};
  EXPECT_EQ(TakeToken(state, limit, 0), 0);
  EXPECT_EQ(TakeToken(state, limit, 0), 0);
  EXPECT_EQ(TakeToken(state, limit, 0), 0);
  EXPECT_EQ(TakeToken(state, limit, 0), 20'000);       // one token every 20 s
  EXPECT_EQ(TakeToken(state, limit, 10'000), 10'000);  // half refilled
  EXPECT_EQ(TakeToken(state, limit, 20'000), 0);
  EXPECT_EQ(TakeToken(state, limit, 10'000'000), 0);  // never above capacity
  EXPECT_EQ(TakeToken(state, limit, 10'000'000), 0);
  EXPECT_EQ(TakeToken(state, limit, 10'000'000), 0);
  EXPECT_GT(TakeToken(state, limit, 10'000'000), 0);
}

void ExpectLimiter(RateLimiter& limiter, infra::ManualClock& clock, const std::string& key) {
  RateLimit limit{2, 60'000ms};
  limiter.Take(key, limit);
  limiter.Take(key, limit);
  try {
    limiter.Take(key, limit);
    FAIL() << "expected 429";
  } catch (const domain::RateLimitedError& e) {
    EXPECT_EQ(e.Code(), "RATE_LIMITED");
    EXPECT_EQ(e.RetryAfterSeconds(), 30);
  }
  limiter.Take(key + "-other", limit);  // buckets are per key
  clock.Advance(30s);
  limiter.Take(key, limit);
  EXPECT_THROW(limiter.Take(key, limit), domain::RateLimitedError);
}

TEST(RateLimiter, InMemory_RefusesPastTheBurstUntilRefilled) {
  infra::ManualClock clock;
  RateLimiter limiter(clock, nullptr, "test:");
  ExpectLimiter(limiter, clock, "login:c:203.0.113.1");
}

TEST(RateLimiter, InMemory_KeepsAtMostMaxBuckets) {
  infra::ManualClock clock;
  RateLimiter limiter(clock, nullptr, "test:", 10);
  RateLimit limit{1, 1000ms};
  for (int i = 0; i < 100; ++i) limiter.Take("k" + std::to_string(i), limit);
  clock.Advance(2s);
  for (int i = 0; i < 100; ++i) limiter.Take("k" + std::to_string(i), limit);  // refilled buckets were dropped
}

// Every server draws from one bucket: two limiters on one Redis share it.
TEST(RateLimiter, InRedis_SharedByEveryServer) {
  const char* url = std::getenv("PILLIVERY_TEST_REDIS_URL");
  if (!url || !*url) GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
  infra::RedisClient redis(infra::RedisOptions{infra::RedisEndpoint::Parse(url), 500ms, 1000ms, "test"});
  infra::ManualClock clock;
  std::string prefix = "ratelimit-test-" + std::to_string(::getpid()) + ":";
  RateLimiter first(clock, &redis, prefix);
  RateLimiter second(clock, &redis, prefix);
  RateLimit limit{2, 60'000ms};
  first.Take("k", limit);
  second.Take("k", limit);
  EXPECT_THROW(first.Take("k", limit), domain::RateLimitedError);
  EXPECT_THROW(second.Take("k", limit), domain::RateLimitedError);
  ExpectLimiter(first, clock, "shared");
}

TEST(RateLimiter, WhenRedisIsUnreachable_FallsBackToThisServersBuckets) {
  infra::RedisClient redis(infra::RedisOptions{infra::RedisEndpoint::Parse("redis://127.0.0.1:1"), 100ms, 100ms, "t"});
  infra::ManualClock clock;
  RateLimiter limiter(clock, &redis, "x:");
  ExpectLimiter(limiter, clock, "k");
}

}  // namespace
}  // namespace pillivery::service
