#include "infra/redis_client.hpp"
#include "domain/error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "support/test_support.hpp"

namespace pillivery::infra {
namespace {

using namespace std::chrono_literals;

TEST(RedisEndpoint_Parse, ReadsHostPortDatabaseAndPassword) {
  auto e = RedisEndpoint::Parse("redis://cache.internal:6380/2");
  EXPECT_EQ(e.host, "cache.internal");
  EXPECT_EQ(e.port, 6380);
  EXPECT_EQ(e.db, 2);
  EXPECT_FALSE(e.password);
  auto d = RedisEndpoint::Parse("redis://:s3cret@10.0.0.5");
  EXPECT_EQ(d.host, "10.0.0.5");
  EXPECT_EQ(d.port, 6379);
  EXPECT_EQ(d.db, 0);
  EXPECT_EQ(d.password, "s3cret");
  for (const char* bad : {"http://x:1/0", "redis://", "redis://x:0/0", "redis://x:port/0", "redis://x:1/-1"})
    EXPECT_THROW(RedisEndpoint::Parse(bad), domain::Error) << bad;
}

// Against the real redis-server of scripts/test-services.sh; skipped without one.
class RedisTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PILLIVERY_TEST_REDIS_URL");
    if (!url || !*url) GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
    options_.endpoint = RedisEndpoint::Parse(url);
    prefix_ = "test:" + std::to_string(std::random_device{}()) + ":";
  }
  RedisOptions options_;
  std::string prefix_;  // keys of this test only, so parallel runs do not meet
};

TEST_F(RedisTest, Command_RoundTripsBinarySafeValuesAndReportsCommandErrorsAsReplies) {
  RedisConnection redis(options_);
  std::string value("a\0b \r\n밀크", 12);
  EXPECT_EQ(redis.Command({"SET", prefix_ + "k", value, "PX", "10000"}).text, "OK");
  auto got = redis.Command({"GET", prefix_ + "k"});
  EXPECT_EQ(got.type, RedisReply::Type::kString);
  EXPECT_EQ(got.text, value);
  EXPECT_EQ(redis.Command({"GET", prefix_ + "missing"}).type, RedisReply::Type::kNil);
  auto error = redis.Command({"INCR", prefix_ + "k"});
  EXPECT_TRUE(error.IsError());
  EXPECT_TRUE(redis.Connected());  // a command error leaves the connection usable
  EXPECT_EQ(redis.Command({"DEL", prefix_ + "k"}).integer, 1);
}

TEST_F(RedisTest, Pipeline_AnswersEveryCommandInOrder) {
  RedisClient client(options_, 2);
  std::vector<RedisArgv> commands;
  for (int i = 0; i < 100; ++i) commands.push_back({"RPUSH", prefix_ + "list", std::to_string(i)});
  commands.push_back({"LRANGE", prefix_ + "list", "0", "-1"});
  commands.push_back({"DEL", prefix_ + "list"});
  auto replies = client.Pipeline(commands);
  ASSERT_EQ(replies.size(), 102u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(replies[i].integer, i + 1);
  ASSERT_EQ(replies[100].elements.size(), 100u);
  EXPECT_EQ(replies[100].elements[99].text, "99");
  EXPECT_EQ(replies[101].integer, 1);
}

TEST_F(RedisTest, Connection_WhenTheServerDropsIt_FailsOnceThenReconnects) {
  RedisConnection victim(options_);
  auto id = victim.Command({"CLIENT", "ID"}).integer;
  RedisConnection killer(options_);
  ASSERT_EQ(killer.Command({"CLIENT", "KILL", "ID", std::to_string(id)}).integer, 1);
  EXPECT_THROW(victim.Command({"PING"}), RedisError);
  EXPECT_FALSE(victim.Connected());
  EXPECT_EQ(victim.Command({"PING"}).text, "PONG");
  EXPECT_NE(victim.Command({"CLIENT", "ID"}).integer, id);
}

TEST_F(RedisTest, Connection_WhenNothingListens_FailsFastWithRedisError) {
  RedisOptions dead = options_;
  dead.endpoint.port = testing::FreePort();
  RedisConnection redis(dead);
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(redis.Command({"PING"}), RedisError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(RedisTest, Command_WhenTheServerIsSlowerThanTheTimeout_FailsWithRedisError) {
  options_.command_timeout = 200ms;
  RedisConnection redis(options_);
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(redis.Command({"BLPOP", prefix_ + "never", "3"}), RedisError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(redis.Command({"PING"}).text, "PONG");  // and the next call reconnects
}

TEST_F(RedisTest, Pool_WhenEveryConnectionIsBusy_GivesUpAfterTheAcquireTimeout) {
  options_.command_timeout = 5s;
  RedisOptions named = options_;
  named.client_name = prefix_ + "holder";
  RedisClient client(named, 1, 100ms);
  std::thread holder([&] { client.Command({"BLPOP", prefix_ + "wake", "4"}); });
  RedisConnection observer(options_);
  // Wait until the holder's BLPOP is blocked in the server, so the pool is surely empty.
  for (int i = 0; i < 200; ++i) {
    auto info = observer.Command({"CLIENT", "LIST"}).text;
    auto line = info.find("name=" + named.client_name + " ");
    if (line != std::string::npos &&
        info.substr(line, info.find('\n', line) - line).find("cmd=blpop") != std::string::npos)
      break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_THROW(client.Command({"PING"}), RedisError);
  observer.Command({"RPUSH", prefix_ + "wake", "x"});
  holder.join();
  EXPECT_EQ(client.Command({"PING"}).text, "PONG");
}

TEST_F(RedisTest, Subscriber_ReadsPushedMessagesAndWakesOnTimeoutOrSignal) {
  RedisConnection subscriber(options_);
  subscriber.Send({"SUBSCRIBE", prefix_ + "channel"});
  auto confirmed = subscriber.Read(2s);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->elements.at(0).text, "subscribe");

  EXPECT_FALSE(subscriber.Read(50ms));  // nothing published yet

  RedisConnection publisher(options_);
  EXPECT_EQ(publisher.Command({"PUBLISH", prefix_ + "channel", "item:7"}).integer, 1);
  auto message = subscriber.Read(2s);
  ASSERT_TRUE(message);
  ASSERT_EQ(message->elements.size(), 3u);
  EXPECT_EQ(message->elements[0].text, "message");
  EXPECT_EQ(message->elements[2].text, "item:7");

  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(subscriber.Read(10s, fds[0]));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace pillivery::infra
