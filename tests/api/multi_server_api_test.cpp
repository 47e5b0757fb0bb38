// Two API servers on one database and one Redis (multi-server mode), over real
// HTTP on both engines: views are not double-counted, and an admin change on
// one server reaches the other's cache at once. Skipped without a test Redis.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

using namespace std::chrono_literals;

class MultiServerApiTest : public ApiTest {
 protected:
  static constexpr const char* kSecret = "multi-server-test-secret-0123456789abcdef";
  static constexpr const char* kAdminEmail = "admin@pillivery.test";
  static constexpr const char* kAdminPassword = "Admin-pass-1234";

  void Configure(infra::Config& config) override {
    config.jwt_secret = kSecret;
    config.admin_email = kAdminEmail;
    config.admin_password = kAdminPassword;
    config.views_flush_seconds = 3600;  // only the test's FlushViews() runs
    config.cache_ttl_seconds = 600;     // so only an invalidation can make a change visible
    config.redis_url = std::getenv("PILLIVERY_TEST_REDIS_URL");
    // This test's own keys and channel: runs in parallel never meet.
    config.redis_prefix = "test:" + std::to_string(std::random_device{}()) + ":";
  }
  app::ApplicationOverrides Overrides() override {
    clock_ = std::make_shared<infra::ManualClock>(std::chrono::system_clock::now());
    return {clock_, true};
  }

  void SetUp() override {
    const char* redis = std::getenv("PILLIVERY_TEST_REDIS_URL");
    if (!redis || !*redis) GTEST_SKIP() << "PILLIVERY_TEST_REDIS_URL is not set";
    ApiTest::SetUp();
    other_ = std::make_unique<app::Application>(config_, false, app::ApplicationOverrides{clock_, true});
    other_base_ = "http://127.0.0.1:" + std::to_string(other_->Start());
    WatchApiServer(other_base_);
  }
  void TearDown() override {
    UnwatchApiServer(other_base_);
    other_.reset();
    ApiTest::TearDown();
  }

  std::vector<std::string> As(std::int64_t user_id) { return BearerOf(user_id, *clock_); }
  std::int64_t Views(std::int64_t item) { return StoredViews(item); }
  void ViewOn(const std::string& base, std::int64_t item, const std::vector<std::string>& headers = {}) {
    ASSERT_EQ(HttpCall("GET", base + "/api/items/" + std::to_string(item), "", headers).status, 200);
  }
  void FlushBoth() {
    app_->FlushViews();
    other_->FlushViews();
  }

  std::unique_ptr<app::Application> other_;
  std::string other_base_;
  std::shared_ptr<infra::ManualClock> clock_;
};

TEST_P(MultiServerApiTest, Views_SameVisitorOnBothServers_CountsOnce) {
  std::int64_t before = Views(1);
  ViewOn(base_, 1, As(7));
  ViewOn(other_base_, 1, As(7));
  ViewOn(other_base_, 1, As(7));
  ViewOn(other_base_, 1, As(8));
  FlushBoth();
  EXPECT_EQ(Views(1), before + 2);
  FlushBoth();  // each increase is claimed once, whoever flushes
  EXPECT_EQ(Views(1), before + 2);

  // The same visitor the next business day counts again, once.
  clock_->Advance(24h);
  ViewOn(other_base_, 1, As(7));
  ViewOn(base_, 1, As(7));
  FlushBoth();
  FlushBoth();
  EXPECT_EQ(Views(1), before + 3);
}

TEST_P(MultiServerApiTest, Views_WhenBothServersFlushAtOnce_NeverDoubleCount) {
  std::int64_t before = Views(2);
  for (int user = 1; user <= 50; ++user) {
    ViewOn(base_, 2, As(user));
    ViewOn(other_base_, 2, As(user));
  }
  std::thread a([&] { app_->FlushViews(); });
  std::thread b([&] { other_->FlushViews(); });
  a.join();
  b.join();
  FlushBoth();
  // Redis's sketch is exact-ish at 50: any double counting would show as ~100.
  EXPECT_NEAR(static_cast<double>(Views(2) - before), 50.0, 1.0);
}

TEST_P(MultiServerApiTest, AdminPriceChangeOnOneServer_IsVisibleOnTheOthersCacheAtOnce) {
  auto login =
      HttpCall("POST", base_ + "/api/auth/login",
               boost::json::serialize(boost::json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}));
  ASSERT_EQ(login.status, 200) << login.body;
  std::string admin = "Authorization: Bearer " + std::string(Json(login).at("data").at("accessToken").as_string());
  auto price_on_other = [&] {
    return Json(HttpCall("GET", other_base_ + "/api/items/1")).at("data").at("realPrice").as_int64();
  };
  std::int64_t original = price_on_other();  // cached on the other server now
  auto stock_on_other = [&] {
    return Json(HttpCall("GET", other_base_ + "/api/items/1")).at("data").at("stock").as_int64();
  };
  std::int64_t stock = stock_on_other();
  {
    // A change behind the servers' backs stays invisible: the other server
    // really caches. (Stock alone: a catalog write would reach it through the
    // catalog index's change feed.)
    storage::Database db(config_.db_url, 1);
    auto lease = db.Acquire();
    *lease << "UPDATE items SET stock = stock + 1 WHERE id = 1";
  }
  ASSERT_EQ(stock_on_other(), stock);
  ASSERT_EQ(price_on_other(), original);

  auto patched = HttpCall("PATCH", base_ + "/api/admin/items/1", R"({"originPrice":50000,"discountRate":20})", {admin});
  ASSERT_EQ(patched.status, 200) << patched.body;
  // The message travels through Redis on a background thread: wait for it,
  // far less than the 600 s TTL.
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (price_on_other() != 40'000 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(price_on_other(), 40'000);
}

INSTANTIATE_TEST_SUITE_P(Engines, MultiServerApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
