// ViewCounter without HTTP: what happens when Redis is down and comes back,
// and the bound on views held meanwhile. Uses a redis-server of its own.
#include "service/catalog/view_counter.hpp"
#include "storage/migrations.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <filesystem>
#include <thread>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::testing {
namespace {

using namespace std::chrono_literals;

class ViewCounterRedisDownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kRedisServer)) GTEST_SKIP() << "no redis-server";
    db_ = std::make_unique<storage::Database>(FreshDatabaseUrl("sqlite", dir_), 2);
    storage::Migrate(*db_, testing::RealClock());
    items_ = std::make_unique<storage::ItemRepository>(*db_, testing::RealClock());
    items_->InsertMany(SampleCatalog());
    port_ = FreePort();
    infra::RedisOptions options;
    options.endpoint = infra::RedisEndpoint::Parse("redis://127.0.0.1:" + std::to_string(port_) + "/0");
    options.connect_timeout = 200ms;
    redis_ = std::make_unique<infra::RedisClient>(options, 2, 1s, &registry_);
  }
  void StartRedis() {
    server_ = std::make_unique<ChildProcess>(
        kRedisServer, std::vector<std::string>{"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                               "--appendonly", "no", "--dir", dir_.Path().string()});
    infra::RedisConnection probe(redis_->Options());
    for (int i = 0; i < 200; ++i) {
      try {
        if (probe.Command({"PING"}).text == "PONG") return;
      } catch (const infra::RedisError&) {
      }
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << "redis-server did not start";
  }
  std::int64_t Views(std::int64_t item) { return items_->FindById(item, true)->views; }
  std::string Metrics() { return prometheus::TextSerializer().Serialize(registry_.Collect()); }

  static constexpr const char* kRedisServer = "/usr/bin/redis-server";
  TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::ItemRepository> items_;
  int port_ = 0;
  prometheus::Registry registry_;
  std::unique_ptr<infra::RedisClient> redis_;
  std::unique_ptr<ChildProcess> server_;
  infra::ManualClock clock_{std::chrono::system_clock::now()};
};

TEST_F(ViewCounterRedisDownTest, WhileRedisIsDown_ViewsWaitInMemoryAndCatchUpOnceItIsBack) {
  service::ViewCounter views(*items_, clock_, redis_.get(), {1h, 1000, "t:"}, &registry_);
  std::int64_t before = Views(1);
  views.Record(1, "a:10.0.0.1");
  views.Record(1, "a:10.0.0.2");
  views.Record(1, "a:10.0.0.1");
  EXPECT_EQ(views.Flush(), 0);
  EXPECT_EQ(views.Flush(), 0);  // still down: kept, not lost
  EXPECT_EQ(Views(1), before);
  EXPECT_NE(Metrics().find(R"(pillivery_redis_errors_total{operation="views_flush"} 2)"), std::string::npos)
      << Metrics();

  StartRedis();
  views.Record(1, "a:10.0.0.3");
  EXPECT_EQ(views.Flush(), 3);
  EXPECT_EQ(Views(1), before + 3);
  EXPECT_EQ(views.Flush(), 0);
}

TEST_F(ViewCounterRedisDownTest, WhenTooManyViewsWait_NewOnesAreDroppedAndCounted) {
  service::ViewCounter views(*items_, clock_, redis_.get(), {1h, 5, "t:"}, &registry_);
  for (int i = 0; i < 8; ++i) views.Record(2, "a:10.0.1." + std::to_string(i));
  EXPECT_EQ(views.Flush(), 0);
  EXPECT_NE(Metrics().find("pillivery_views_dropped_total 3"), std::string::npos) << Metrics();
  StartRedis();
  std::int64_t before = Views(2);
  EXPECT_EQ(views.Flush(), 5);
  EXPECT_EQ(Views(2), before + 5);
}

TEST(ViewCounter_SingleNode, CountsUniqueVisitorsPerDayAdditively) {
  TempDir dir;
  storage::Database db(FreshDatabaseUrl("sqlite", dir), 2);
  storage::Migrate(db, testing::RealClock());
  storage::ItemRepository items(db, testing::RealClock());
  items.InsertMany(SampleCatalog());
  infra::ManualClock clock{std::chrono::system_clock::now()};
  service::ViewCounter views(items, clock, nullptr, {1h});
  std::int64_t before = items.FindById(3, true)->views;
  for (int i = 0; i < 1000; ++i) views.Record(3, "u:" + std::to_string(i % 400));
  std::int64_t added = views.Flush();
  EXPECT_NEAR(static_cast<double>(added), 400.0, 8.0);  // approximate: HyperLogLog
  clock.Advance(24h);
  views.Record(3, "u:1");
  EXPECT_EQ(views.Flush(), 1);
  EXPECT_EQ(items.FindById(3, true)->views, before + added + 1);
}

}  // namespace
}  // namespace pillivery::testing
