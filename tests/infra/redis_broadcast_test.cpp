#include "infra/redis_broadcast.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

namespace pillivery::infra {
namespace {

using namespace std::chrono_literals;

// What one server's subscriber heard.
struct Inbox {
  std::mutex mutex;
  std::condition_variable arrived;
  std::vector<std::string> messages;
  int resyncs = 0;

  RedisBroadcast::OnMessage Handler() {
    return [this](const std::string& m) {
      std::lock_guard lock(mutex);
      messages.push_back(m);
      arrived.notify_all();
    };
  }
  RedisBroadcast::OnResync Resync() {
    return [this] {
      std::lock_guard lock(mutex);
      ++resyncs;
    };
  }
  bool WaitFor(std::size_t count) {
    std::unique_lock lock(mutex);
    return arrived.wait_for(lock, 5s, [&] { return messages.size() >= count; });
  }
};

class RedisBroadcastTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PILLIVERY_TEST_REDIS_URL");
    if (!url || !*url) GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
    options_.endpoint = RedisEndpoint::Parse(url);
    channel_ = "test:" + std::to_string(std::random_device{}()) + ":cache";
  }
  RedisOptions options_;
  std::string channel_;
};

TEST_F(RedisBroadcastTest, Publish_ReachesEveryServerIncludingTheSender) {
  RedisClient client_a(options_), client_b(options_);
  Inbox inbox_a, inbox_b;
  RedisBroadcast a(client_a, channel_, inbox_a.Handler(), inbox_a.Resync());
  RedisBroadcast b(client_b, channel_, inbox_b.Handler(), inbox_b.Resync());
  ASSERT_TRUE(a.Start());
  ASSERT_TRUE(b.Start());
  EXPECT_EQ(inbox_b.resyncs, 1);  // a fresh subscription starts from a clean cache

  a.Publish("item:1");
  a.Publish("stock:2");
  ASSERT_TRUE(inbox_b.WaitFor(2));
  ASSERT_TRUE(inbox_a.WaitFor(2));
  std::lock_guard lock(inbox_b.mutex);
  EXPECT_EQ(inbox_b.messages, (std::vector<std::string>{"item:1", "stock:2"}));
}

TEST_F(RedisBroadcastTest, Subscriber_WhenItsConnectionIsKilled_ResubscribesAndResyncs) {
  RedisClient client(options_);
  Inbox inbox;
  RedisBroadcast broadcast(client, channel_, inbox.Handler(), inbox.Resync());
  ASSERT_TRUE(broadcast.Start());
  RedisConnection admin(options_);
  // Our subscriber names itself after the channel; kill only that connection.
  std::string clients = admin.Command({"CLIENT", "LIST"}).text;
  auto line_start = clients.rfind('\n', clients.find("name=sub:" + channel_ + " "));
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  ASSERT_EQ(clients.compare(line_start, 3, "id="), 0) << clients;
  std::string id = clients.substr(line_start + 3, clients.find(' ', line_start) - line_start - 3);
  ASSERT_EQ(admin.Command({"CLIENT", "KILL", "ID", id}).integer, 1);
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard lock(inbox.mutex);
      if (inbox.resyncs >= 2) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  {
    std::lock_guard lock(inbox.mutex);
    EXPECT_GE(inbox.resyncs, 2);
  }
  admin.Command({"PUBLISH", channel_, "item:9"});
  ASSERT_TRUE(inbox.WaitFor(1));
}

TEST_F(RedisBroadcastTest, WhenRedisIsUnreachable_PublishNeverBlocksAndStopIsPrompt) {
  RedisOptions dead = options_;
  dead.endpoint.port = testing::FreePort();
  RedisClient client(dead);
  Inbox inbox;
  auto started = std::chrono::steady_clock::now();
  {
    RedisBroadcast broadcast(client, channel_, inbox.Handler(), inbox.Resync(), 3);
    EXPECT_FALSE(broadcast.Start(100ms));
    for (int i = 0; i < 1000; ++i) broadcast.Publish("item:" + std::to_string(i));
    EXPECT_FALSE(broadcast.Subscribed());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(inbox.resyncs, 0);
}

}  // namespace
}  // namespace pillivery::infra
