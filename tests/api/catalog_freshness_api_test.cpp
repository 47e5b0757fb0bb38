// The catalog index stays fresh over real HTTP, on both engines: a change made
// through one server is in that server's answers before the change's own
// request answers; another server (no Redis here, and a 600 s cache TTL, so
// only the change feed can tell it) and a writer in another process (`pillivery
// seed`) are seen within the poll interval. Facets over HTTP too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

using namespace std::chrono_literals;

class CatalogFreshnessApiTest : public ApiTest {
 protected:
  static constexpr const char* kAdminEmail = "admin@pillivery.test";
  static constexpr const char* kAdminPassword = "Admin-pass-1234";

  void Configure(infra::Config& config) override {
    config.jwt_secret = "catalog-freshness-test-secret-0123456789";
    config.admin_email = kAdminEmail;
    config.admin_password = kAdminPassword;
    config.cache_ttl_seconds = 600;  // only an invalidation can make a change visible
    config.catalog_index_poll_ms = 100;
  }
  void SetUp() override {
    ApiTest::SetUp();
    other_ = std::make_unique<app::Application>(config_, false, app::ApplicationOverrides{nullptr, true});
    other_base_ = "http://127.0.0.1:" + std::to_string(other_->Start());
    auto login =
        HttpCall("POST", base_ + "/api/auth/login",
                 boost::json::serialize(boost::json::object{{"email", kAdminEmail}, {"password", kAdminPassword}}));
    ASSERT_EQ(login.status, 200) << login.body;
    admin_ = "Authorization: Bearer " + std::string(Json(login).at("data").at("accessToken").as_string());
    // Both indexes built (a search before that takes the SQL path, with the same answers).
    ASSERT_TRUE(Eventually(base_, "?sort=NEWEST", [](const auto&) { return true; }));
  }
  void TearDown() override {
    other_.reset();
    ApiTest::TearDown();
  }

  static std::vector<std::int64_t> Ids(const boost::json::value& body) {
    std::vector<std::int64_t> ids;
    for (const auto& item : body.at("data").as_array()) ids.push_back(item.at("itemId").as_int64());
    return ids;
  }
  static bool Has(const boost::json::value& body, std::int64_t id) {
    auto ids = Ids(body);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
  boost::json::value Search(const std::string& base, const std::string& query) {
    auto r = HttpCall("GET", base + "/api/items" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }
  // Asks until the answer satisfies done (a poll interval is 100 ms; 10 s is
  // only there so a loaded machine cannot fail the test).
  bool Eventually(const std::string& base, const std::string& query,
                  const std::function<bool(const boost::json::value&)>& done) {
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done(Search(base, query))) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  void Patch(std::int64_t id, const std::string& body) {
    auto r = HttpCall("PATCH", base_ + "/api/admin/items/" + std::to_string(id), body, {admin_});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::unique_ptr<app::Application> other_;
  std::string other_base_;
  std::string admin_;
};

TEST_P(CatalogFreshnessApiTest, CategoryAndDiscountChanges_AreNeverServedStale) {
  // Cached and indexed on both servers first.
  for (const auto& base : {base_, other_base_}) {
    ASSERT_TRUE(Has(Search(base, "?category=EYE"), 1));
    ASSERT_TRUE(Has(Search(base, "?onSale=true&sort=DISCOUNT_RATE_DESC"), 1));
  }
  Patch(1, R"({"mainFunction":"간 건강에 도움","discountRate":0})");
  // The server that made the change: at once.
  EXPECT_FALSE(Has(Search(base_, "?category=EYE"), 1));
  EXPECT_TRUE(Has(Search(base_, "?category=LIVER"), 1));
  EXPECT_FALSE(Has(Search(base_, "?onSale=true&sort=DISCOUNT_RATE_DESC"), 1));
  // The other server: through the change feed.
  EXPECT_TRUE(Eventually(other_base_, "?category=EYE", [](const auto& body) { return !Has(body, 1); }));
  EXPECT_FALSE(Has(Search(other_base_, "?onSale=true&sort=DISCOUNT_RATE_DESC"), 1));
  EXPECT_TRUE(Has(Search(other_base_, "?category=LIVER"), 1));
}

TEST_P(CatalogFreshnessApiTest, HiddenAndCreatedItems_ReachEveryServersSearchAndKeyword) {
  ASSERT_EQ(Search(other_base_, "?keyword=%EC%8B%A0%EC%83%81").at("pageInfo").at("totalElements").as_int64(), 0);
  auto created = HttpCall("POST", base_ + "/api/admin/items",
                          R"({"productName":"신상 루테인 젤리","enterprise":"새브랜드","mainFunction":"눈 건강",)"
                          R"("originPrice":20000,"discountRate":10,"stock":5})",
                          {admin_});
  ASSERT_EQ(created.status, 201) << created.body;
  std::int64_t id = Json(created).at("data").at("itemId").as_int64();
  // keyword=신상
  EXPECT_TRUE(Has(Search(base_, "?keyword=%EC%8B%A0%EC%83%81"), id));
  EXPECT_TRUE(Eventually(other_base_, "?keyword=%EC%8B%A0%EC%83%81", [&](const auto& body) { return Has(body, id); }));
  EXPECT_TRUE(Has(Search(other_base_, "?brand=%EC%83%88%EB%B8%8C%EB%9E%9C%EB%93%9C"), id));  // brand=새브랜드

  Patch(id, R"({"status":"HIDDEN"})");
  EXPECT_FALSE(Has(Search(base_, "?keyword=%EC%8B%A0%EC%83%81"), id));
  EXPECT_TRUE(Eventually(other_base_, "?keyword=%EC%8B%A0%EC%83%81", [&](const auto& body) { return !Has(body, id); }));
}

TEST_P(CatalogFreshnessApiTest, ItemsSeededByAnotherProcess_ShowWithoutAnyAnnouncement) {
  std::int64_t before = Search(base_, "").at("pageInfo").at("totalElements").as_int64();
  std::string command = "PILLIVERY_DB_URL='" + config_.db_url + "' PILLIVERY_LOG_LEVEL=warn '" +
                        BinaryPath("pillivery") + "' seed --items 25 --seed 5 >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (const auto& base : {base_, other_base_}) {
    EXPECT_TRUE(Eventually(
        base, "", [&](const auto& body) { return body.at("pageInfo").at("totalElements").as_int64() == before + 25; }));
  }
}

TEST_P(CatalogFreshnessApiTest, Facets_CountPerCategoryBrandAndPriceBand) {
  auto body = Search(base_, "?facets=true&category=EYE");
  ASSERT_TRUE(body.as_object().contains("facets")) << boost::json::serialize(body);
  const auto& facets = body.at("facets");
  // Categories ignore the category filter: every visible item of the sample counts.
  std::int64_t eye = 0, liver = 0;
  for (const auto& c : facets.at("categories").as_array()) {
    if (c.at("code") == "EYE") eye = c.at("count").as_int64();
    if (c.at("code") == "LIVER") liver = c.at("count").as_int64();
  }
  EXPECT_EQ(eye, 1);  // the hidden 눈 건강 item does not count
  EXPECT_EQ(liver, 1);
  ASSERT_EQ(facets.at("categories").as_array().size(), 10u);
  // Brands and price bands count within EYE.
  ASSERT_EQ(facets.at("brands").as_array().size(), 1u);
  EXPECT_EQ(facets.at("brands").at(0).at("name"), "종근당건강");
  EXPECT_EQ(facets.at("brands").at(0).at("count").as_int64(), 1);
  const auto& bands = facets.at("priceBands").as_array();
  ASSERT_EQ(bands.size(), 6u);
  EXPECT_EQ(bands.at(2).at("min").as_int64(), 20'000);
  EXPECT_EQ(bands.at(2).at("max").as_int64(), 29'999);
  EXPECT_EQ(bands.at(2).at("count").as_int64(), 1);  // 30,000 less 10%
  EXPECT_TRUE(bands.back().at("max").is_null());
  // Without facets=true the answer is as before; a bad value is a 400.
  EXPECT_FALSE(Search(base_, "?category=EYE").as_object().contains("facets"));
  EXPECT_EQ(HttpCall("GET", base_ + "/api/items?facets=yes").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogFreshnessApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
