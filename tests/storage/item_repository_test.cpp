#include "storage/item_repository.hpp"

#include "domain/error.hpp"
#include "storage/migrations.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using domain::ItemQuery;
using domain::ItemSort;

// One suite, both engines: SQLite always, MariaDB when the test services run.
class ItemRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    Migrate(*db_, testing::RealClock());
    repo_ = std::make_unique<ItemRepository>(*db_, testing::RealClock());
    repo_->InsertMany(testing::SampleCatalog());
  }
  std::vector<std::int64_t> Ids(const ItemQuery& q) {
    std::vector<std::int64_t> ids;
    for (const auto& item : repo_->Search(q).items) ids.push_back(item.id);
    return ids;
  }
  ItemQuery Sorted(ItemSort sort) {
    ItemQuery q;
    q.sort = sort;
    return q;
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ItemRepository> repo_;
};

TEST_P(ItemRepositoryTest, Migrate_WhenRunTwice_AppliesNothingTheSecondTime) {
  EXPECT_EQ(Migrate(*db_, testing::RealClock()), 0);
  EXPECT_EQ(CurrentSchemaVersion(*db_), AllMigrations().back().version);
}

TEST_P(ItemRepositoryTest, FindById_ReturnsEveryFieldWithDerivedPrices) {
  auto item = repo_->FindById(3);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->product_name, "칼슘 마그네슘");
  EXPECT_EQ(item->report_no, "200400200021028");
  EXPECT_EQ(item->price.origin, 15'000);
  EXPECT_EQ(item->price.rate_tenths, 250);
  EXPECT_EQ(item->price.Real(), 11'250);
  EXPECT_EQ(item->categories, std::vector<domain::Category>{domain::Category::kBone});
  EXPECT_EQ(item->storage, "서늘한 곳");
  EXPECT_FALSE(repo_->FindById(1)->report_no);
}

TEST_P(ItemRepositoryTest, FindById_WhenHiddenOrMissing_ReturnsNothingUnlessAsked) {
  EXPECT_FALSE(repo_->FindById(8));
  EXPECT_TRUE(repo_->FindById(8, true));
  EXPECT_FALSE(repo_->FindById(999));
}

TEST_P(ItemRepositoryTest, Search_EverySortOrdersWithIdTieBreak) {
  EXPECT_EQ(Ids(Sorted(ItemSort::kSales)), (std::vector<std::int64_t>{5, 4, 2, 1, 7, 3, 6}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kNewest)), (std::vector<std::int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kPriceAsc)), (std::vector<std::int64_t>{3, 6, 4, 7, 2, 1, 5}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kPriceDesc)), (std::vector<std::int64_t>{5, 1, 2, 7, 4, 6, 3}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kDiscountRateDesc)), (std::vector<std::int64_t>{4, 7, 3, 5, 1, 6, 2}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kDiscountRateAsc)), (std::vector<std::int64_t>{2, 6, 1, 5, 3, 7, 4}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kReviewCount)), (std::vector<std::int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(Ids(Sorted(ItemSort::kStar)), (std::vector<std::int64_t>{7, 6, 5, 4, 3, 2, 1}));
}

TEST_P(ItemRepositoryTest, Search_FiltersByKeywordCategoryBrandPriceAndDiscount) {
  ItemQuery q;
  q.keyword = "밀크";
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{2});
  q = {};
  q.keyword = "종근당";  // matches the enterprise too
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{4, 1}));
  q = {};
  q.category = domain::Category::kEye;  // the hidden eye item is not listed
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{1});
  q = {};
  q.brand = "뉴트리원";
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{7, 3}));
  q = {};
  q.min_price = 20'001;  // real prices: 4 → 20,000, 7 → 24,500, 2 → 25,000, 1 → 27,000
  q.max_price = 25'000;
  q.sort = ItemSort::kPriceAsc;
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{7, 2}));
  q = {};
  q.on_sale = false;
  EXPECT_EQ(Ids(q), (std::vector<std::int64_t>{2, 6}));
  q = {};
  q.on_sale = true;
  q.category = domain::Category::kFatigue;
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{5});
}

TEST_P(ItemRepositoryTest, Search_TreatsLikeMetacharactersAndSqlLiterally) {
  ItemQuery q;
  q.keyword = "100%";
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{4});
  q.keyword = "%";
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{4});
  q.keyword = "_rTG";
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{7});
  q.keyword = "_r";  // no longer a wildcard
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{7});
  q.keyword = "_";  // without ASCII letters SQLite takes a plain substring test: still literal
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{7});
  q.keyword = "RTg";  // with letters, ASCII case is ignored
  EXPECT_EQ(Ids(q), std::vector<std::int64_t>{7});
  q.keyword = "' OR 1=1; DROP TABLE items; --";
  EXPECT_TRUE(Ids(q).empty());
  q.keyword = "!";
  EXPECT_TRUE(Ids(q).empty());
  EXPECT_TRUE(repo_->FindById(1));  // still there
}

TEST_P(ItemRepositoryTest, Search_PagesAreStableAndCountTheTotal) {
  ItemQuery q;
  q.page.size = 3;
  auto page1 = repo_->Search(q);
  EXPECT_EQ(page1.total, 7);
  q.page.page = 3;
  auto page3 = repo_->Search(q);
  ASSERT_EQ(page3.items.size(), 1u);
  EXPECT_EQ(page3.items[0].id, 6);
  q.page.page = 100;
  auto beyond = repo_->Search(q);
  EXPECT_TRUE(beyond.items.empty());
  EXPECT_EQ(beyond.total, 7);
}

TEST_P(ItemRepositoryTest, CountByCategory_CountsVisibleItemsOfEveryCategory) {
  auto counts = repo_->CountByCategory();
  ASSERT_EQ(counts.size(), 10u);
  std::map<domain::Category, std::int64_t> by;
  for (auto [c, n] : counts) by[c] = n;
  EXPECT_EQ(by[domain::Category::kEye], 1);  // hidden one excluded
  EXPECT_EQ(by[domain::Category::kIntestine], 1);
  EXPECT_EQ(by[domain::Category::kEtc], 1);  // 오메가3: 혈행 has no keyword
  EXPECT_EQ(by[domain::Category::kSkin], 0);
}

TEST_P(ItemRepositoryTest, UpsertPublicData_UpdatesByReportNumberAndNeverDuplicates) {
  domain::Item incoming = testing::MakeItem("한삼인홍센칼슘", "코스맥스바이오(주)", "뼈 건강, 피로 개선", 0, 0);
  incoming.report_no = "200400200021028";
  domain::Item fresh = testing::MakeItem("새 상품", "새 회사", "피부 보습", 0, 0);
  fresh.report_no = "20990000000001";
  auto counts = repo_->UpsertPublicData({incoming, fresh});
  EXPECT_EQ(counts.updated, 1);
  EXPECT_EQ(counts.inserted, 1);
  auto updated = repo_->FindById(3);
  EXPECT_EQ(updated->product_name, "한삼인홍센칼슘");
  EXPECT_EQ(updated->price.origin, 15'000);  // price and stock are the store's, kept
  EXPECT_EQ(updated->stock, 5);
  EXPECT_EQ(updated->categories, (std::vector<domain::Category>{domain::Category::kBone, domain::Category::kFatigue}));
  counts = repo_->UpsertPublicData({incoming, fresh});
  EXPECT_EQ(counts.updated, 2);
  EXPECT_EQ(counts.inserted, 0);
  ItemQuery all;
  all.include_hidden = true;
  EXPECT_EQ(repo_->Search(all).total, 9);  // 8 + the one new item, once
}

TEST_P(ItemRepositoryTest, Update_ChangesPriceStockAndStatus) {
  auto item = *repo_->FindById(1);
  item.price = {50'000, 200};
  item.stock = 0;
  item.status = domain::ItemStatus::kHidden;
  EXPECT_TRUE(repo_->Update(item));
  auto stored = repo_->FindById(1, true);
  EXPECT_EQ(stored->price.Real(), 40'000);
  EXPECT_EQ(stored->stock, 0);
  EXPECT_EQ(stored->status, domain::ItemStatus::kHidden);
  item.id = 12345;
  EXPECT_FALSE(repo_->Update(item));
  EXPECT_GT(repo_->Insert(testing::MakeItem("x", "y", "눈", 1, 0)), 8);
}

INSTANTIATE_TEST_SUITE_P(Engines, ItemRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

TEST(Database_WhenPoolIsExhausted, AnswersDatabaseBusyAfterTheTimeout) {
  testing::TempDir dir;
  prometheus::Registry registry;
  Database db("sqlite://" + (dir.Path() / "x.db").string(), 1, std::chrono::milliseconds(50), &registry);
  auto held = db.Acquire();
  try {
    db.Acquire();
    FAIL() << "expected DATABASE_BUSY";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.Code(), "DATABASE_BUSY");
    EXPECT_EQ(e.Kind(), domain::ErrorKind::kUnavailable);  // 503 (http::StatusOf)
  }
  // Counted, so a load test can tell pool starvation from other 503s.
  double timeouts = -1;
  for (const auto& family : registry.Collect())
    if (family.name == "pillivery_db_pool_timeouts_total") timeouts = family.metric.at(0).counter.value;
  EXPECT_EQ(timeouts, 1);
}

TEST(DbUrl, ParsesBothEnginesAndRejectsOthers) {
  EXPECT_EQ(ParseDbUrl("sqlite:///abs/p.db").sqlite_path, "/abs/p.db");
  EXPECT_EQ(ParseDbUrl("sqlite://rel.db").sqlite_path, "rel.db");
  auto maria = ParseDbUrl("mariadb://u:p@127.0.0.1:3306/shop");
  EXPECT_EQ(maria.dialect, Dialect::kMariaDb);
  EXPECT_NE(maria.connect_string.find("db=shop"), std::string::npos);
  EXPECT_NE(maria.connect_string.find("port=3306"), std::string::npos);
  EXPECT_TRUE(maria.server_prepare);
  auto text = ParseDbUrl("mariadb://u:p@127.0.0.1:3306/shop?server_prepare=false");
  EXPECT_FALSE(text.server_prepare);
  EXPECT_NE(text.connect_string.find("db=shop "), std::string::npos);  // the query is not part of the name
  EXPECT_THROW(ParseDbUrl("mariadb://u:p@h/shop?server_prepare=maybe"), domain::Error);
  EXPECT_THROW(ParseDbUrl("postgres://x"), domain::Error);
  EXPECT_THROW(ParseDbUrl("sqlite://"), domain::Error);
}

TEST(Dialect, RendersPlaceholdersPerEngine) {
  EXPECT_EQ(RenderSchema(Dialect::kSqlite, "id {{PK}}"), "id INTEGER PRIMARY KEY AUTOINCREMENT");
  EXPECT_NE(RenderSchema(Dialect::kMariaDb, "x{{TABLE}}").find("InnoDB"), std::string::npos);
  EXPECT_STREQ(ForUpdateSkipLocked(Dialect::kSqlite), "");
  EXPECT_STREQ(ForUpdateSkipLocked(Dialect::kMariaDb), " FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(ExcludedValue(Dialect::kSqlite, "a"), "excluded.a");
  EXPECT_EQ(ExcludedValue(Dialect::kMariaDb, "a"), "VALUES(a)");
  EXPECT_STREQ(InsertIgnore(Dialect::kMariaDb), "INSERT IGNORE");
  EXPECT_NE(UpsertClause(Dialect::kSqlite, "k").find("ON CONFLICT(k)"), std::string::npos);
}

}  // namespace
}  // namespace pillivery::storage
