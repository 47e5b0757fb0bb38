#include "domain/error.hpp"
#include "infra/clock.hpp"
#include "infra/config.hpp"
#include "infra/log.hpp"
#include "infra/ttl_cache.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

namespace pillivery::infra {
namespace {

TEST(Config_Defaults, FollowTheOperationsContract) {
  Config c = LoadConfig(std::nullopt, {});
  EXPECT_EQ(c.http_port, 8080);
  EXPECT_EQ(c.http_address, "127.0.0.1");
  EXPECT_EQ(c.db_url, "sqlite://pillivery.db");
  EXPECT_FALSE(c.redis_url);
  EXPECT_EQ(c.timezone, "Asia/Seoul");
  EXPECT_EQ(c.internal_networks, "127.0.0.0/8");
  EXPECT_EQ(c.PublicBaseUrl(), "http://127.0.0.1:8080");
}

TEST(Config_WhenFileAndEnvironmentBothSet, EnvironmentWins) {
  testing::TempDir dir;
  auto path = dir.Path() / "pillivery.toml";
  std::ofstream(path) << "[http]\nport = 9000\naddress = \"0.0.0.0\"\n[db]\nurl = \"sqlite://file.db\"\n";
  Config c = LoadConfig(path.string(), {{"PILLIVERY_HTTP_PORT", "9100"}, {"PILLIVERY_REDIS_URL", "redis://x:1/0"}});
  EXPECT_EQ(c.http_port, 9100);
  EXPECT_EQ(c.http_address, "0.0.0.0");
  EXPECT_EQ(c.db_url, "sqlite://file.db");
  EXPECT_EQ(c.redis_url, "redis://x:1/0");
}

TEST(Config_WhenValuesAreBad, FailsWithAClearError) {
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_HTTP_PORT", "70000"}}), domain::Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_HTTP_PORT", "80a"}}), domain::Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_JWT_SECRET", "short"}}), domain::Error);
  testing::TempDir dir;
  auto path = dir.Path() / "bad.toml";
  std::ofstream(path) << "[http\nport = ";
  EXPECT_THROW(LoadConfig(path.string(), {}), domain::Error);
}

TEST(Config_TestClock, IsOffByDefaultAndRefusedWithAGatewayThatIsNotOnThisMachine) {
  EXPECT_FALSE(LoadConfig(std::nullopt, {}).test_clock);
  EXPECT_TRUE(LoadConfig(std::nullopt, {{"PILLIVERY_TEST_CLOCK", "true"}}).test_clock);  // the local simulator
  EXPECT_TRUE(LoadConfig(std::nullopt, {{"PILLIVERY_TEST_CLOCK", "true"},
                                        {"PILLIVERY_KAKAOPAY_BASE_URL", "http://localhost:9090/online/v1/payment/"}})
                  .test_clock);
  for (const char* production : {"https://open-api.kakaopay.com/online/v1/payment/", "http://127.0.0.1.evil.com/x",
                                 "http://10.0.0.5:9090/", "http://user@kakaopay.com/", "not a url"}) {
    try {
      LoadConfig(std::nullopt, {{"PILLIVERY_TEST_CLOCK", "true"}, {"PILLIVERY_KAKAOPAY_BASE_URL", production}});
      ADD_FAILURE() << "accepted a test clock with " << production;
    } catch (const domain::Error& e) {
      EXPECT_EQ(e.Code(), "CONFIG_INVALID");
      EXPECT_NE(std::string(e.what()).find("PILLIVERY_TEST_CLOCK"), std::string::npos);
    }
  }
  // The same production URL without the test clock is fine.
  EXPECT_NO_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_KAKAOPAY_BASE_URL", "https://open-api.kakaopay.com/x/"}}));
  EXPECT_TRUE(IsLoopbackUrl("http://[::1]:9090/x"));
  EXPECT_TRUE(IsLoopbackUrl("http://127.0.0.1:9090"));
  EXPECT_FALSE(IsLoopbackUrl("http://127.0.0.1@evil.com/"));
}

TEST(Config_PaymentSettings, BulkheadMatchesTheGatewayPoolAndAttemptsAreBounded) {
  Config c = LoadConfig(std::nullopt, {});
  EXPECT_EQ(c.payment_max_concurrent_calls, c.gateway_threads);
  EXPECT_EQ(c.payment_approve_attempts, 3);
  Config set = LoadConfig(
      std::nullopt, {{"PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS", "64"}, {"PILLIVERY_PAYMENT_APPROVE_ATTEMPTS", "5"}});
  EXPECT_EQ(set.payment_max_concurrent_calls, 64);
  EXPECT_EQ(set.payment_approve_attempts, 5);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS", "0"}}), domain::Error);
  EXPECT_THROW(LoadConfig(std::nullopt, {{"PILLIVERY_PAYMENT_APPROVE_ATTEMPTS", "0"}}), domain::Error);
}

TEST(TtlCache_WhenTtlPasses, EntriesExpireWithinJitter) {
  auto now = std::chrono::steady_clock::time_point{};
  TtlCache cache(std::chrono::milliseconds(1000), 100, nullptr, [&] { return now; });
  int computed = 0;
  auto compute = [&] { return std::to_string(++computed); };
  EXPECT_EQ(*cache.GetOrCompute("k", compute), "1");
  EXPECT_EQ(*cache.GetOrCompute("k", compute), "1");
  now += std::chrono::milliseconds(999);
  EXPECT_EQ(*cache.GetOrCompute("k", compute), "1");
  now += std::chrono::milliseconds(201);  // past TTL + max 20% jitter
  EXPECT_EQ(*cache.GetOrCompute("k", compute), "2");
}

TEST(TtlCache_Invalidate, DropsKeysAndPrefixes) {
  TtlCache cache(std::chrono::seconds(60), 100);
  cache.Put("item:1", std::make_shared<const std::string>("a"));
  cache.Put("items?x", std::make_shared<const std::string>("b"));
  cache.Put("items?y", std::make_shared<const std::string>("c"));
  cache.Invalidate("item:1");
  EXPECT_FALSE(cache.Get("item:1"));
  cache.InvalidatePrefix("items?");
  EXPECT_EQ(cache.Size(), 0u);
  cache.Put("z", std::make_shared<const std::string>("d"));
  cache.Clear();
  EXPECT_FALSE(cache.Get("z"));
}

TEST(TtlCache_WhenFull, StaysBounded) {
  TtlCache cache(std::chrono::seconds(60), 32);
  for (int i = 0; i < 1000; ++i) cache.Put("k" + std::to_string(i), std::make_shared<const std::string>("v"));
  EXPECT_LE(cache.Size(), 32u);
}

TEST(Clock_FormatsInTheBusinessZone, WithOffset) {
  SetProcessTimeZone("Asia/Seoul");
  auto t = std::chrono::system_clock::time_point{std::chrono::seconds{1'700'000'000}};  // 2023-11-14T22:13:20Z
  EXPECT_EQ(FormatIsoTime(t), "2023-11-15T07:13:20.000+09:00");
  EXPECT_EQ(FormatDate(t), "2023-11-15");
  ManualClock clock(t);
  clock.Advance(std::chrono::hours(24));
  EXPECT_EQ(FormatDate(clock.Now()), "2023-11-16");
}

TEST(Log_WritesOneJsonObjectPerLine, WithFields) {
  std::ostringstream out;
  SetLogStream(&out);
  InitLogging(LogLevel::kInfo);
  LogInfo("hello", {{"request_id", "abc"}});
  Log(LogLevel::kDebug, "hidden");
  LogWarn("warned");
  LogError("failed");
  SetLogStream(nullptr);
  std::string text = out.str();
  EXPECT_NE(text.find("\"msg\":\"hello\""), std::string::npos);
  EXPECT_NE(text.find("\"request_id\":\"abc\""), std::string::npos);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("\"level\":\"warn\""), std::string::npos);
  EXPECT_EQ(ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(ParseLogLevel("other"), LogLevel::kInfo);
}

}  // namespace
}  // namespace pillivery::infra

#include "infra/cidr.hpp"

namespace pillivery::infra {
namespace {

TEST(NetworkList_MatchesAddressesInsideTheListedNetworks, ForBothFamilies) {
  auto list = NetworkList::Parse("127.0.0.0/8, 10.1.0.0/16,192.168.5.7,::1/128");
  EXPECT_TRUE(list.Contains("127.0.0.1"));
  EXPECT_TRUE(list.Contains("127.255.0.9"));
  EXPECT_TRUE(list.Contains("10.1.200.3"));
  EXPECT_FALSE(list.Contains("10.2.0.1"));
  EXPECT_TRUE(list.Contains("192.168.5.7"));
  EXPECT_FALSE(list.Contains("192.168.5.8"));
  EXPECT_TRUE(list.Contains("::1"));
  EXPECT_TRUE(list.Contains("::ffff:127.0.0.1"));
  EXPECT_FALSE(list.Contains("2001:db8::1"));
  EXPECT_FALSE(list.Contains("not an address"));
  EXPECT_TRUE(NetworkList::Parse("0.0.0.0/0").Contains("8.8.8.8"));
  EXPECT_FALSE(NetworkList::Parse("").Contains("127.0.0.1"));
  EXPECT_THROW(NetworkList::Parse("10.0.0.0/33"), domain::Error);
  EXPECT_THROW(NetworkList::Parse("banana"), domain::Error);
  EXPECT_THROW(NetworkList::Parse("10.0.0.0/x"), domain::Error);
}

}  // namespace
}  // namespace pillivery::infra

namespace pillivery::infra {
namespace {

// Issue #13 item 9: payment credentials never reach the log, whoever passes them.
TEST(Log_WhenALineHoldsPaymentIds, RedactsThemAndDropsCredentialFields) {
  std::ostringstream out;
  SetLogStream(&out);
  LogInfo("sid inactivated", {{"sid", "S1234567890123456789"},
                              {"tid", "T1234567890123456789"},
                              {"outcome", "-751: sid is inactive: S9876543210987654321"},
                              {"partner_order_id", "A20261202000000000001"}});
  SetLogStream(nullptr);
  auto line = out.str();
  EXPECT_EQ(line.find("1234567890123456789"), std::string::npos) << line;
  EXPECT_EQ(line.find("9876543210987654321"), std::string::npos) << line;
  EXPECT_NE(line.find("sid is inactive: S[redacted]"), std::string::npos) << line;
  EXPECT_NE(line.find("A20261202000000000001"), std::string::npos) << line;  // not a KakaoPay id shape
  std::string plain = "order 12 T12345 XS1234567890123456789";
  RedactPaymentIds(plain);
  EXPECT_EQ(plain, "order 12 T12345 XS1234567890123456789");
}

TEST(NetworkList_IsAddress, AcceptsLiteralAddressesOnly) {
  EXPECT_TRUE(NetworkList::IsAddress("203.0.113.7"));
  EXPECT_TRUE(NetworkList::IsAddress("2001:db8::1"));
  EXPECT_FALSE(NetworkList::IsAddress("203.0.113.7:80"));
  EXPECT_FALSE(NetworkList::IsAddress("unknown"));
  EXPECT_FALSE(NetworkList::IsAddress(""));
}

}  // namespace
}  // namespace pillivery::infra
