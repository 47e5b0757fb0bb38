// GET /health/ready behind a balancer: the database, Redis when configured,
// and draining (SIGTERM's first step). Both engines; Redis is the real one
// started by scripts/test-services.sh.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

class ReadinessApiTest : public ApiTest {};

TEST_P(ReadinessApiTest, SingleNode_ChecksTheDatabaseOnly) {
  auto ready = Get("/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  auto body = Json(ready).as_object();
  EXPECT_EQ(body.at("status").as_string(), "UP");
  EXPECT_EQ(body.at("checks").at("database").as_string(), "UP");
  EXPECT_FALSE(body.at("checks").as_object().contains("redis"));
}

TEST_P(ReadinessApiTest, Draining_AnswersNotReadyButStillServesAndClosesEachConnection) {
  ASSERT_EQ(Get("/health/ready").status, 200);
  app_->BeginDrain();
  auto ready = Get("/health/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(Json(ready).at("status").as_string(), "DRAINING");
  EXPECT_EQ(Json(ready).at("checks").at("database").as_string(), "UP");
  // Requests are still answered, each with its connection closed after it, so
  // a proxy's keep-alive connections end after a response, never under a request.
  auto items = Get("/api/items?size=1");
  EXPECT_EQ(items.status, 200);
  EXPECT_EQ(items.Header("connection"), "close");
  EXPECT_EQ(Get("/health/live").status, 200);  // alive: only readiness changes
}

class ReadinessWithRedisApiTest : public ApiTest {
 protected:
  void SetUp() override {
    const char* redis = std::getenv("PILLIVERY_TEST_REDIS_URL");
    if (!redis || !*redis) GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
    redis_url_ = redis;
    ApiTest::SetUp();
  }
  void Configure(infra::Config& config) override {
    config.redis_url = redis_url_;
    config.redis_prefix = "readiness-test:";
  }
  std::string redis_url_;
};

TEST_P(ReadinessWithRedisApiTest, RedisAnswering_IsReportedUp) {
  auto ready = Get("/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(Json(ready).at("status").as_string(), "UP");
  EXPECT_EQ(Json(ready).at("checks").at("redis").as_string(), "UP");
}

// Nothing listens on port 1: Redis is down. The store keeps selling without
// it, so the server stays ready (DEGRADED) and says which check failed.
class ReadinessRedisDownApiTest : public ApiTest {
 protected:
  void Configure(infra::Config& config) override { config.redis_url = "redis://127.0.0.1:1/0"; }
};

TEST_P(ReadinessRedisDownApiTest, RedisUnreachable_IsReportedDownAndTheServerStaysReady) {
  auto ready = Get("/health/ready");
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(Json(ready).at("status").as_string(), "DEGRADED");
  EXPECT_EQ(Json(ready).at("checks").at("redis").as_string(), "DOWN");
  EXPECT_EQ(Json(ready).at("checks").at("database").as_string(), "UP");
  EXPECT_EQ(Get("/api/items?size=1").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReadinessApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, ReadinessWithRedisApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, ReadinessRedisDownApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
