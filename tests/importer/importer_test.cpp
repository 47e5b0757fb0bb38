#include "importer/importer.hpp"

#include "domain/error.hpp"
#include "importer/seeder.hpp"
#include "storage/migrations.hpp"
#include "storage/row_reader.hpp"

#include <gtest/gtest.h>

#include "fake_open_api.hpp"
#include "sample_data.hpp"
#include "support/test_support.hpp"

namespace pillivery::importer {
namespace {

// Runs on every engine of Engines(): SQLite always, MariaDB when configured.
class ImporterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storage::Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 2);
    storage::Migrate(*db_, testing::RealClock());
    repo_ = std::make_unique<storage::ItemRepository>(*db_, testing::RealClock());
  }
  OpenApiOptions Options() {
    OpenApiOptions options;
    options.base_url = api_.BaseUrl();
    options.key_id = "k";
    options.service_id = "C003";
    options.page_size = 5;
    options.sleep = [](std::chrono::milliseconds) {};
    return options;
  }
  void ServeSample() {
    auto rows = testing::SampleRows();
    api_.On("/api/k/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 8));
    api_.On("/api/k/C003/json/6/10", testing::PageBody("C003", rows, 5, 10, 8));
  }
  std::int64_t CountItems() {
    auto lease = db_->Acquire();
    long long n = 0;
    *lease << "SELECT COUNT(*) FROM items", soci::into(n);
    return n;
  }
  std::int64_t IdOfReportNo(const std::string& report_no) {
    auto lease = db_->Acquire();
    long long id = 0;
    *lease << "SELECT id FROM items WHERE report_no = :r", soci::use(report_no), soci::into(id);
    return id;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::ItemRepository> repo_;
  testing::FakeOpenApi api_;
};

TEST_P(ImporterTest, Importer_FromApi_WritesEveryPageHiddenAndUnpriced) {
  ServeSample();
  std::vector<ImportProgress> progress;
  ImportCounts counts = ImportFromApi(Options(), *repo_, [&](const ImportProgress& p) { progress.push_back(p); });
  EXPECT_EQ(counts.read, 8);
  EXPECT_EQ(counts.inserted, 8);
  EXPECT_EQ(counts.updated, 0);
  EXPECT_EQ(counts.skipped, 0);
  EXPECT_EQ(counts.pages, 2);
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0].counts.read, 5);
  EXPECT_EQ(progress[0].total, 8);
  EXPECT_EQ(CountItems(), 8);

  auto item = repo_->FindById(IdOfReportNo("200700170351816"), true);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->product_name, "솔가 밀크씨슬 130");
  EXPECT_EQ(item->main_function, "[밀크씨슬추출물]\n간 건강에 도움을 줄 수 있음");
  EXPECT_EQ(item->registered_date, "2021-03-31");
  EXPECT_EQ(item->categories, std::vector<domain::Category>{domain::Category::kLiver});
  EXPECT_EQ(item->status, domain::ItemStatus::kHidden);
  EXPECT_FALSE(repo_->FindById(item->id)) << "unpriced imports stay out of the public catalog";
}

TEST_P(ImporterTest, Importer_WhenSourceSaysNoMoreData_StopsThere) {
  auto rows = testing::SampleRows();
  api_.On("/api/k/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 28050));
  api_.On("/api/k/C003/json/6/10", testing::ReadText(testing::SpecDataFile("c003-end.json")));
  ImportCounts counts = ImportFromApi(Options(), *repo_);
  EXPECT_EQ(counts.read, 5);
  EXPECT_EQ(counts.pages, 1);
  EXPECT_EQ(CountItems(), 5);
}

TEST_P(ImporterTest, Importer_WhenReimported_UpdatesInsteadOfDuplicating) {
  ServeSample();
  ImportFromApi(Options(), *repo_);
  // The store prices the items, then the public text changes upstream.
  EXPECT_EQ(PriceUnpricedItems(*db_, 7, testing::RealClock()), 8);
  std::int64_t id = IdOfReportNo("200700170351816");
  auto priced = repo_->FindById(id);
  ASSERT_TRUE(priced);

  auto rows = testing::SampleRows();
  rows[0]["PRDLST_NM"] = "솔가 밀크씨슬 130 (리뉴얼)";
  rows[0]["PRIMARY_FNCLTY"] = "[밀크씨슬추출물]\r\n간 건강에 도움을 줄 수 있음<br>항산화에 도움";
  api_.On("/api/k/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 8));
  ImportCounts again = ImportFromApi(Options(), *repo_);

  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 8);
  EXPECT_EQ(CountItems(), 8);
  auto updated = repo_->FindById(id);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->product_name, "솔가 밀크씨슬 130 (리뉴얼)");
  EXPECT_EQ(updated->main_function, "[밀크씨슬추출물]\n간 건강에 도움을 줄 수 있음\n항산화에 도움");
  EXPECT_EQ(updated->categories,
            (std::vector<domain::Category>{domain::Category::kLiver, domain::Category::kAntioxidant}));
  // What the store set is kept.
  EXPECT_EQ(updated->price.origin, priced->price.origin);
  EXPECT_EQ(updated->price.rate_tenths, priced->price.rate_tenths);
  EXPECT_EQ(updated->stock, priced->stock);
  EXPECT_EQ(updated->thumbnail_url, priced->thumbnail_url);
  EXPECT_EQ(updated->status, domain::ItemStatus::kOnSale);
}

TEST_P(ImporterTest, Importer_WhenQuotaRunsOutMidway_KeepsEarlierPagesAndReportsTheCode) {
  auto rows = testing::SampleRows();
  api_.On("/api/k/C003/json/1/5", testing::PageBody("C003", rows, 0, 5, 8));
  api_.On("/api/k/C003/json/6/10", testing::ResultBody("C003", "INFO-300", "유효 호출건수를 이미 초과하셨습니다."));
  try {
    ImportFromApi(Options(), *repo_);
    FAIL() << "no error";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "IMPORT_SOURCE_ERROR");
    EXPECT_NE(e.Detail().find("INFO-300"), std::string::npos);
  }
  EXPECT_EQ(CountItems(), 5);
}

TEST_P(ImporterTest, Importer_When5xxThenSuccess_ImportsEverything) {
  auto rows = testing::SampleRows();
  api_.On("/api/k/C003/json/1/5", {{503, "busy"}, {200, testing::PageBody("C003", rows, 0, 5, 8)}});
  api_.On("/api/k/C003/json/6/10", {{500, "err"}, {502, "err"}, {200, testing::PageBody("C003", rows, 5, 10, 8)}});
  ImportCounts counts = ImportFromApi(Options(), *repo_);
  EXPECT_EQ(counts.inserted, 8);
  EXPECT_EQ(api_.Requests().size(), 5u);
}

TEST_P(ImporterTest, Importer_WhenAnswerIsMalformed_FailsCleanlyWithoutWriting) {
  api_.On("/api/k/C003/json/1/5", "{\"C003\": {\"row\": [{\"PRDLST_NM\": ");
  try {
    ImportFromApi(Options(), *repo_);
    FAIL() << "no error";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "IMPORT_MALFORMED");
  }
  EXPECT_EQ(CountItems(), 0);
}

TEST_P(ImporterTest, ImportFiles_ReadsTheSpecSampleAndEndFiles) {
  ImportCounts counts =
      ImportFiles({testing::SpecDataFile("c003-sample.json"), testing::SpecDataFile("c003-end.json")}, *repo_);
  EXPECT_EQ(counts.read, 8);
  EXPECT_EQ(counts.inserted, 8);
  EXPECT_EQ(counts.pages, 2);
  EXPECT_EQ(CountItems(), 8);
  auto item = repo_->FindById(IdOfReportNo("20040016037148"), true);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->product_name, "큐자임");
  EXPECT_EQ(item->caution, "");

  ImportCounts again = ImportFiles({testing::SpecDataFile("c003-sample.json")}, *repo_);
  EXPECT_EQ(again.updated, 8);
  EXPECT_EQ(CountItems(), 8);
}

TEST_P(ImporterTest, ImportFiles_DataGoKrShapeAndSkippedRows) {
  auto path = dir_.Path() / "htfs.json";
  testing::WriteText(path, R"json({"header":{"resultCode":"00","resultMsg":"NORMAL SERVICE."},"body":{"pageNo":1,
    "totalCount":3,"items":[
      {"item":{"PRDUCT":"락토핏 생유산균","ENTRPS":"종근당건강(주)","STTEMNT_NO":"2015001302345",
               "REGIST_DT":"20160105","MAIN_FNCTN":"유산균 증식 및 배변활동 원활"}},
      {"item":{"PRDUCT":"","ENTRPS":"이름 없음","STTEMNT_NO":"2015001302346"}},
      {"item":{"PRDUCT":"번호 없음","ENTRPS":"어딘가"}}]}})json");
  ImportCounts counts = ImportFiles({path}, *repo_);
  EXPECT_EQ(counts.read, 3);
  EXPECT_EQ(counts.inserted, 1);
  EXPECT_EQ(counts.skipped, 2);
  auto item = repo_->FindById(IdOfReportNo("2015001302345"), true);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->categories, std::vector<domain::Category>{domain::Category::kIntestine});
}

TEST_P(ImporterTest, ImportFiles_WhenFileIsMissingOrMalformed_Throws) {
  try {
    ImportFiles({dir_.Path() / "missing.json"}, *repo_);
    FAIL();
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "IMPORT_FILE_UNREADABLE");
  }
  auto bad = dir_.Path() / "bad.json";
  testing::WriteText(bad, "not json at all");
  try {
    ImportFiles({bad}, *repo_);
    FAIL();
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "IMPORT_MALFORMED");
    EXPECT_NE(e.Detail().find("bad.json"), std::string::npos);
  }
  EXPECT_EQ(CountItems(), 0);
}

TEST_P(ImporterTest, PriceUnpricedItems_PricesImportsConsistentlyAndOnlyOnce) {
  ImportFiles({testing::SpecDataFile("c003-sample.json")}, *repo_);
  EXPECT_EQ(PriceUnpricedItems(*db_, 42, testing::RealClock()), 8);
  EXPECT_EQ(PriceUnpricedItems(*db_, 42, testing::RealClock()), 0) << "already priced";
  auto lease = db_->Acquire();
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT origin_price, discount_rate, discount_price, real_price, stock, thumbnail_url, status "
                         "FROM items");
  int n = 0;
  for (const auto& row : rows) {
    ++n;
    domain::Price price{storage::GetInt64(row, 0), static_cast<int>(storage::GetInt64(row, 1))};
    EXPECT_GE(price.origin, 5'000);
    EXPECT_LE(price.origin, 120'000);
    EXPECT_EQ(price.origin % 100, 0);
    EXPECT_LE(price.rate_tenths, 500);
    EXPECT_EQ(storage::GetInt64(row, 2), price.Discount());
    EXPECT_EQ(storage::GetInt64(row, 3), price.Real());
    EXPECT_GE(storage::GetInt64(row, 4), 0);
    EXPECT_TRUE(storage::GetString(row, 5).starts_with("/images/items/"));  // served by the store itself
    EXPECT_EQ(storage::GetString(row, 6), "ON_SALE");
  }
  EXPECT_EQ(n, 8);
}

TEST_P(ImporterTest, PriceUnpricedItems_SameSeedGivesSamePricesInAnotherDatabase) {
  ImportFiles({testing::SpecDataFile("c003-sample.json")}, *repo_);
  PriceUnpricedItems(*db_, 42, testing::RealClock());
  testing::TempDir other_dir;
  storage::Database other(testing::FreshDatabaseUrl(GetParam(), other_dir), 1);
  storage::Migrate(other, testing::RealClock());
  storage::ItemRepository other_repo(other, testing::RealClock());
  // Imported in another order: prices follow the report number, not the id.
  auto rows = testing::SampleRows();
  std::reverse(rows.begin(), rows.end());
  auto path = other_dir.Path() / "reversed.json";
  testing::WriteText(path, testing::PageBody("C003", rows, 0, rows.size(), 8));
  ImportFiles({path}, other_repo);
  PriceUnpricedItems(other, 42, testing::RealClock());

  auto price_of = [](storage::Database& db, const std::string& report_no) {
    auto lease = db.Acquire();
    long long origin = 0, rate = 0, stock = 0;
    *lease << "SELECT origin_price, discount_rate, stock FROM items WHERE report_no = :r", soci::use(report_no),
        soci::into(origin), soci::into(rate), soci::into(stock);
    return std::tuple{origin, rate, stock};
  };
  for (const char* report_no : {"200700170351816", "2004001509475", "20040020006741"})
    EXPECT_EQ(price_of(*db_, report_no), price_of(other, report_no)) << report_no;
}

INSTANTIATE_TEST_SUITE_P(Engines, ImporterTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::importer
