#include "importer/open_api_client.hpp"

#include "domain/error.hpp"

#include <gtest/gtest.h>

#include "fake_open_api.hpp"
#include "sample_data.hpp"

namespace pillivery::importer {
namespace {

using std::chrono::milliseconds;

class OpenApiClientTest : public ::testing::Test {
 protected:
  OpenApiOptions Options() {
    OpenApiOptions options;
    options.base_url = api_.BaseUrl();
    options.key_id = "secretkey123";
    options.service_id = "C003";
    options.page_size = 5;
    options.sleep = [this](milliseconds d) { sleeps_.push_back(d); };
    return options;
  }
  // The code of the domain::Error `call` throws, "" when it does not throw one.
  template <typename F>
  domain::Error Catch(F call) {
    try {
      call();
    } catch (const domain::Error& e) {
      return e;
    }
    ADD_FAILURE() << "no domain::Error";
    return domain::Error(domain::ErrorCode::kImportClientFailed, "none thrown");
  }
  testing::FakeOpenApi api_;
  std::vector<milliseconds> sleeps_;
};

TEST_F(OpenApiClientTest, ForEachPage_WalksPagesUntilStartPassesTotalCount) {
  auto rows = testing::SampleRows();
  api_.On("/api/secretkey123/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 8));
  api_.On("/api/secretkey123/C003/json/6/10", testing::PageBody("C003", rows, 5, 10, 8));
  OpenApiClient client(Options());
  std::vector<size_t> sizes;
  client.ForEachPage([&](const OpenApiPage& page) {
    sizes.push_back(page.answer.rows.size());
    return true;
  });
  EXPECT_EQ(sizes, (std::vector<size_t>{5, 3}));
  EXPECT_EQ(api_.Requests().size(), 2u);  // 11 > 8: no third call
}

TEST_F(OpenApiClientTest, ForEachPage_StopsOnEndOfDataAnswer) {
  auto rows = testing::SampleRows();
  // A total that overstates the rows (the feed changes while we read it).
  api_.On("/api/secretkey123/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 100));
  api_.On("/api/secretkey123/C003/json/6/10", testing::ReadText(testing::SpecDataFile("c003-end.json")));
  OpenApiClient client(Options());
  int pages = 0;
  client.ForEachPage([&](const OpenApiPage&) { return ++pages, true; });
  EXPECT_EQ(pages, 1);
  EXPECT_EQ(api_.Requests().size(), 2u);
}

TEST_F(OpenApiClientTest, ChangedSince_IsSentAsAPathFilter) {
  auto options = Options();
  options.changed_since = "20240101";
  api_.On("/api/secretkey123/C003/json/1/5/CHNG_DT=20240101", testing::ResultBody("C003", "INFO-200", "없음"));
  OpenApiClient client(options);
  EXPECT_TRUE(client.FetchPage(1, 5).answer.IsEndOfData());
  EXPECT_EQ(client.RedactedUrl(1, 5), api_.BaseUrl() + "/api/***/C003/json/1/5/CHNG_DT=20240101");
}

TEST_F(OpenApiClientTest, WhenQuotaIsExhausted_ThrowsSourceErrorWithCodeAndMessageWithoutRetrying) {
  api_.On("/api/secretkey123/C003/json/1/5",
          testing::ResultBody("C003", "INFO-300", "유효 호출건수를 이미 초과하셨습니다."));
  OpenApiClient client(Options());
  domain::Error e = Catch([&] { client.FetchPage(1, 5); });
  EXPECT_EQ(e.Code(), "IMPORT_SOURCE_ERROR");
  EXPECT_NE(e.Detail().find("INFO-300"), std::string::npos);
  EXPECT_NE(e.Detail().find("유효 호출건수를 이미 초과하셨습니다."), std::string::npos);
  EXPECT_EQ(e.Detail().find("secretkey123"), std::string::npos) << "the key must not leak into errors";
  EXPECT_EQ(api_.Requests().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(OpenApiClientTest, WhenKeyIsRejectedAtTheRoot_ThrowsSourceError) {
  api_.On("/api/secretkey123/C003/json/1/5", R"({"RESULT":{"MSG":"인증키가 유효하지 않습니다.","CODE":"INFO-100"}})");
  OpenApiClient client(Options());
  domain::Error e = Catch([&] { client.FetchPage(1, 5); });
  EXPECT_EQ(e.Code(), "IMPORT_SOURCE_ERROR");
  EXPECT_NE(e.Detail().find("INFO-100"), std::string::npos);
}

TEST_F(OpenApiClientTest, WhenBodyIsMalformed_ThrowsMalformedWithoutRetrying) {
  api_.On("/api/secretkey123/C003/json/1/5", R"({"C003": {"total_count": "8", "row": [{"PRDLST_NM": "솔)");
  OpenApiClient client(Options());
  domain::Error e = Catch([&] { client.FetchPage(1, 5); });
  EXPECT_EQ(e.Code(), "IMPORT_MALFORMED");
  EXPECT_EQ(e.Detail().find("secretkey123"), std::string::npos);
  EXPECT_EQ(api_.Requests().size(), 1u);
}

TEST_F(OpenApiClientTest, When5xxThenSuccess_RetriesWithGrowingBackoff) {
  auto rows = testing::SampleRows();
  api_.On("/api/secretkey123/C003/json/1/5",
          {{503, "busy"}, {502, "<html>bad gateway</html>"}, {200, testing::PageBody("C003", rows, 0, 5, 5)}});
  auto options = Options();
  options.first_backoff = milliseconds(100);
  OpenApiClient client(options);
  OpenApiPage page = client.FetchPage(1, 5);
  EXPECT_EQ(page.answer.rows.size(), 5u);
  EXPECT_EQ(api_.Requests().size(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(100), milliseconds(200)}));
}

TEST_F(OpenApiClientTest, WhenAlways5xx_GivesUpAfterMaxAttempts) {
  api_.On("/api/secretkey123/C003/json/1/5", {{500, "oops"}});
  OpenApiClient client(Options());
  domain::Error e = Catch([&] { client.FetchPage(1, 5); });
  EXPECT_EQ(e.Code(), "IMPORT_SOURCE_UNAVAILABLE");
  EXPECT_NE(e.Detail().find("HTTP 500"), std::string::npos);
  EXPECT_EQ(api_.Requests().size(), 3u);
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(OpenApiClientTest, When4xx_FailsAtOnce) {
  api_.On("/api/secretkey123/C003/json/1/5", {{404, "not here"}});
  OpenApiClient client(Options());
  EXPECT_EQ(Catch([&] { client.FetchPage(1, 5); }).Code(), "IMPORT_SOURCE_ERROR");
  EXPECT_EQ(api_.Requests().size(), 1u);
}

TEST_F(OpenApiClientTest, WhenNothingListens_RetriesThenReportsUnavailable) {
  auto options = Options();
  {
    testing::FakeOpenApi closed;  // take a free port, then let it go
    options.base_url = closed.BaseUrl();
  }
  OpenApiClient client(options);
  domain::Error e = Catch([&] { client.FetchPage(1, 5); });
  EXPECT_EQ(e.Code(), "IMPORT_SOURCE_UNAVAILABLE");
  EXPECT_EQ(sleeps_.size(), 2u);
  EXPECT_EQ(e.Detail().find("secretkey123"), std::string::npos);
}

}  // namespace
}  // namespace pillivery::importer
