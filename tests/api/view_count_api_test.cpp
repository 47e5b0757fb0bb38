// Item views = unique visitors per business day (approximate), single node,
// over real HTTP on both engines. Flushes are run by the test, not by time.
#include <gtest/gtest.h>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

using namespace std::chrono_literals;

class ViewCountApiTest : public ApiTest {
 protected:
  static constexpr const char* kSecret = "view-count-test-secret-0123456789abcdef";

  void Configure(infra::Config& config) override {
    config.jwt_secret = kSecret;
    config.views_flush_seconds = 3600;  // only the test's FlushViews() runs
  }
  app::ApplicationOverrides Overrides() override {
    clock_ = std::make_shared<infra::ManualClock>(std::chrono::system_clock::now());
    return {clock_, true};
  }

  std::vector<std::string> As(std::int64_t user_id) { return BearerOf(user_id, *clock_); }
  std::int64_t Views(std::int64_t item) { return StoredViews(item); }
  void View(std::int64_t item, const std::vector<std::string>& headers = {}) {
    ASSERT_EQ(Get("/api/items/" + std::to_string(item), headers).status, 200);
  }

  std::shared_ptr<infra::ManualClock> clock_;
};

TEST_P(ViewCountApiTest, SameVisitorTwiceInADay_CountsOnce) {
  std::int64_t before = Views(1);
  View(1);  // a miss: the worker-pool handler
  View(1);  // a hit: the I/O-thread fast path
  EXPECT_EQ(app_->FlushViews(), 1);
  EXPECT_EQ(Views(1), before + 1);
  EXPECT_EQ(app_->FlushViews(), 0);  // nothing new: nothing added again
  EXPECT_EQ(Views(1), before + 1);
}

TEST_P(ViewCountApiTest, TwoVisitors_CountTwice_AndTheBearerUserIsTheVisitor) {
  std::int64_t before = Views(1), other = Views(2);
  View(1, As(101));
  View(1, As(101));
  View(1, As(102));
  app_->FlushViews();
  EXPECT_EQ(Views(1), before + 2);
  EXPECT_EQ(Views(2), other);
  // An invalid token does not make a new visitor per token: it falls back to the address.
  View(1, {"Authorization: Bearer not-a-token"});
  View(1, {"Authorization: Bearer still-not-a-token"});
  app_->FlushViews();
  EXPECT_EQ(Views(1), before + 3);
}

TEST_P(ViewCountApiTest, SameVisitorOnTheNextBusinessDay_CountsAgain) {
  std::int64_t before = Views(1);
  View(1, As(101));
  app_->FlushViews();
  clock_->Advance(24h);
  View(1, As(101));  // a fresh token: yesterday's has expired
  View(1, As(101));
  app_->FlushViews();
  EXPECT_EQ(Views(1), before + 2);
}

TEST_P(ViewCountApiTest, UnknownOrBadItems_AreNotCounted) {
  EXPECT_EQ(Get("/api/items/999999").status, 404);
  EXPECT_EQ(Get("/api/items/abc").status, 400);
  EXPECT_EQ(app_->FlushViews(), 0);
}

TEST_P(ViewCountApiTest, Metrics_ShowRecordedAndFlushedViews) {
  View(3);
  View(3);
  app_->FlushViews();
  auto metrics = Get("/metrics").body;
  EXPECT_NE(metrics.find("pillivery_views_recorded_total 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("pillivery_views_flushed_total 1"), std::string::npos) << metrics;
}

INSTANTIATE_TEST_SUITE_P(Engines, ViewCountApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

// Issue #14: behind nginx every view came from one peer and counted as one
// visitor; with the proxy trusted each forwarded client is its own visitor,
// and a client's own X-Forwarded-For is not believed from an untrusted peer.
class ProxiedViewCountApiTest : public ViewCountApiTest {
 protected:
  void Configure(infra::Config& config) override {
    ViewCountApiTest::Configure(config);
    config.trusted_proxies = "127.0.0.1/32";
  }
};

TEST_P(ProxiedViewCountApiTest, ForwardedClientsBehindATrustedProxy_CountAsTheirOwnVisitors) {
  std::int64_t before = Views(1);
  View(1, {"X-Forwarded-For: 203.0.113.1"});
  View(1, {"X-Forwarded-For: 203.0.113.1"});
  View(1, {"X-Forwarded-For: 203.0.113.2"});
  View(1, {"X-Forwarded-For: 198.51.100.9, 203.0.113.2"});  // a forged left hop: still .2
  app_->FlushViews();
  EXPECT_EQ(Views(1), before + 2);
}

TEST_P(ViewCountApiTest, ForwardedForFromAnUntrustedPeer_IsIgnored) {
  std::int64_t before = Views(1);
  View(1, {"X-Forwarded-For: 203.0.113.1"});
  View(1, {"X-Forwarded-For: 203.0.113.2"});
  app_->FlushViews();
  EXPECT_EQ(Views(1), before + 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, ProxiedViewCountApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
