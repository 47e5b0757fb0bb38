#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <regex>

#include "support/api_fixture.hpp"

namespace pillivery::testing {
namespace {

using boost::json::value_to;

class CatalogApiTest : public ApiTest {};

std::vector<std::int64_t> ItemIds(const boost::json::value& page) {
  std::vector<std::int64_t> ids;
  for (const auto& item : page.at("data").as_array()) ids.push_back(item.at("itemId").as_int64());
  return ids;
}

TEST_P(CatalogApiTest, ListItems_ReturnsAPageOfSummariesWithPageInfo) {
  auto r = Get("/api/items?size=3");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  auto body = Json(r);
  EXPECT_EQ(ItemIds(body), (std::vector<std::int64_t>{5, 4, 2}));
  const auto& info = body.at("pageInfo");
  EXPECT_EQ(info.at("page").as_int64(), 1);
  EXPECT_EQ(info.at("size").as_int64(), 3);
  EXPECT_EQ(info.at("totalElements").as_int64(), 7);
  EXPECT_EQ(info.at("totalPages").as_int64(), 3);
  const auto& first = body.at("data").at(0).as_object();
  for (const char* field :
       {"itemId", "productName", "enterprise", "thumbnailUrl", "mainFunction", "categories", "originPrice",
        "discountRate", "discountPrice", "realPrice", "sales", "reviewCount", "starAvg", "inStock"})
    EXPECT_TRUE(first.contains(field)) << field;
  EXPECT_EQ(first.at("realPrice").as_int64(), 78'750);
  EXPECT_DOUBLE_EQ(first.at("discountRate").as_double(), 12.5);
  EXPECT_NE(r.body.find("\"discountRate\":50,"), std::string::npos);  // whole percents are integers
}

TEST_P(CatalogApiTest, ListItems_FiltersWithUnicodeKeywordsAndCategories) {
  EXPECT_EQ(ItemIds(Json(Get("/api/items?keyword=%EB%B0%80%ED%81%AC"))), std::vector<std::int64_t>{2});  // 밀크
  EXPECT_EQ(ItemIds(Json(Get("/api/items?category=LIVER"))), std::vector<std::int64_t>{2});
  EXPECT_EQ(ItemIds(Json(Get("/api/items?onSale=true&sort=DISCOUNT_RATE_DESC&size=2"))),
            (std::vector<std::int64_t>{4, 7}));
  EXPECT_EQ(ItemIds(Json(Get("/api/items?minPrice=0&maxPrice=12000&sort=PRICE_ASC"))),
            (std::vector<std::int64_t>{3, 6}));
}

TEST_P(CatalogApiTest, ListItems_WhenInputIsBad_Answers400ProblemsNever500) {
  for (const char* query : {"sort=CHEAPEST", "page=0", "size=abc", "minPrice=5000&maxPrice=100", "category=HEART",
                            "onSale=maybe", "page=-1", "minPrice=1e9"}) {
    auto r = Get(std::string("/api/items?") + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << query;
    auto body = Json(r);
    EXPECT_EQ(body.at("code").as_string(), "VALIDATION_FAILED");
    EXPECT_EQ(body.at("status").as_int64(), 400);
    EXPECT_FALSE(body.at("errors").as_array().empty());
  }
  EXPECT_EQ(Json(Get("/api/items?size=1000000000")).at("pageInfo").at("size").as_int64(), 100);
  auto sql = Get("/api/items?keyword=%27%20OR%201%3D1%3B%20DROP%20TABLE%20items%3B--");
  EXPECT_EQ(sql.status, 200);
  EXPECT_TRUE(Json(sql).at("data").as_array().empty());
  auto long_keyword = Get("/api/items?keyword=" + std::string(5'000, 'a'));
  EXPECT_EQ(long_keyword.status, 400);
  EXPECT_EQ(Json(long_keyword).at("code").as_string(), "VALIDATION_FAILED");
  // 10 KB does not fit the 8 KiB header limit: 431, still a problem response.
  auto huge = Get("/api/items?keyword=" + std::string(10'000, 'a'));
  EXPECT_EQ(huge.status, 431);
  EXPECT_EQ(huge.Header("content-type"), "application/problem+json");
  EXPECT_EQ(Get("/api/items?size=3").status, 200);  // nothing was dropped
}

TEST_P(CatalogApiTest, ItemDetail_HasEveryFieldAndAnswers404ForMissingOrHidden) {
  auto r = Get("/api/items/3");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  const auto& data = body.at("data").as_object();
  for (const char* field : {"itemId",       "productName",    "enterprise",
                            "reportNo",     "registeredDate", "distributionPeriod",
                            "shape",        "intake",         "mainFunction",
                            "caution",      "storage",        "standard",
                            "rawMaterials", "categories",     "originPrice",
                            "discountRate", "discountPrice",  "realPrice",
                            "stock",        "inStock",        "sales",
                            "views",        "reviewCount",    "starAvg",
                            "status",       "thumbnailUrl",   "descriptionImageUrl"})
    EXPECT_TRUE(data.contains(field)) << field;
  EXPECT_EQ(data.at("reportNo").as_string(), "200400200021028");
  EXPECT_EQ(data.at("discountPrice").as_int64(), 3'750);
  EXPECT_EQ(data.at("status").as_string(), "ON_SALE");

  auto missing = Get("/api/items/999");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json(missing).at("code").as_string(), "ITEM_NOT_FOUND");
  EXPECT_EQ(Get("/api/items/8").status, 404);  // hidden
  EXPECT_EQ(Get("/api/items/abc").status, 400);
  EXPECT_EQ(Get("/api/items/0").status, 400);
  EXPECT_EQ(Get("/api/items/99999999999999999999999").status, 400);
}

TEST_P(CatalogApiTest, MainPage_ListsBestSellersAndTopDiscounts) {
  auto r = Get("/api/items/main");
  ASSERT_EQ(r.status, 200) << r.body;
  auto data = Json(r).at("data");
  EXPECT_EQ(data.at("bestSellers").as_array().size(), 7u);
  EXPECT_EQ(data.at("bestSellers").at(0).at("itemId").as_int64(), 5);
  EXPECT_EQ(data.at("topDiscounts").at(0).at("itemId").as_int64(), 4);
  EXPECT_EQ(data.at("topDiscounts").as_array().size(), 5u);  // discounted only
}

TEST_P(CatalogApiTest, Categories_ListEveryCodeWithLabelAndCount) {
  auto r = Get("/api/categories");
  ASSERT_EQ(r.status, 200);
  auto data = Json(r).at("data").as_array();
  ASSERT_EQ(data.size(), 10u);
  EXPECT_EQ(data[0].at("code").as_string(), "EYE");
  EXPECT_EQ(data[0].at("itemCount").as_int64(), 1);
  EXPECT_FALSE(data[0].at("label").as_string().empty());
}

TEST_P(CatalogApiTest, Operations_HealthMetricsAndDocsAnswer) {
  EXPECT_EQ(Get("/health/live").status, 200);
  auto ready = Get("/health/ready");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(Json(ready).at("checks").at("database").as_string(), "UP");
  Get("/api/items/1");
  auto metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("http_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("/api/items/{id}"), std::string::npos);
  EXPECT_NE(metrics.body.find("pillivery_db_pool_connections"), std::string::npos);
  EXPECT_NE(metrics.body.find("pillivery_cache_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("pillivery_build_info"), std::string::npos);
  auto openapi = Get("/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  auto doc = Json(openapi);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_TRUE(doc.at("paths").as_object().contains("/api/items/{id}"));
  auto docs = Get("/docs");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("/openapi.json"), std::string::npos);
}

TEST_P(CatalogApiTest, Responses_CarryRequestIdsAndGzipWhenAccepted) {
  auto echoed = Get("/api/items/1", {"X-Request-Id: test-123"});
  EXPECT_EQ(echoed.Header("x-request-id"), "test-123");
  EXPECT_FALSE(Get("/api/items/1").Header("x-request-id").empty());
  auto gz = Get("/api/items?size=20", {"Accept-Encoding: gzip"});
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(Get("/api/nothing-here").status, 404);
  EXPECT_EQ(Send("DELETE", "/api/items/1").status, 405);
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

// The sample catalog with reviews on items 1 (4.5) and 2 (201 stars over 50: 4.02).
class ReviewedCatalogApiTest : public ApiTest {
 protected:
  void Seed(storage::Database& db) override {
    auto items = SampleCatalog();
    items[0].review_count = 2;
    items[0].star_sum = 9;
    items[1].review_count = 50;
    items[1].star_sum = 201;
    storage::ItemRepository(db, testing::RealClock()).InsertMany(items);
  }
};

// Clients read the raw text: 4.5 and 12.5, never Boost.JSON's 4.5E0 / 1.25E1.
TEST_P(ReviewedCatalogApiTest, Doubles_AreWrittenAsPlainDecimals) {
  const std::regex exponent_form("[0-9][eE][-+0-9]");
  auto detail = Get("/api/items/1");
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_NE(detail.body.find(R"("starAvg":4.5,)"), std::string::npos) << detail.body;
  EXPECT_FALSE(std::regex_search(detail.body, exponent_form)) << detail.body;
  auto second = Get("/api/items/2");
  EXPECT_NE(second.body.find(R"("starAvg":4.02,)"), std::string::npos) << second.body;
  auto list = Get("/api/items?size=20");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(R"("starAvg":4.5,)"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("starAvg":4.02,)"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("discountRate":12.5,)"), std::string::npos) << list.body;
  EXPECT_NE(list.body.find(R"("starAvg":0.0,)"), std::string::npos) << list.body;  // no reviews yet
  EXPECT_FALSE(std::regex_search(list.body, exponent_form)) << list.body;
  EXPECT_DOUBLE_EQ(Json(list).at("data").at(0).at("discountRate").as_double(), 12.5);
}

INSTANTIATE_TEST_SUITE_P(Engines, ReviewedCatalogApiTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
