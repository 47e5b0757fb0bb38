// The in-memory catalog index against the SQL path it replaces, on both
// engines: thousands of seeded random searches (every filter, every sort,
// pages 1-10) give the same ids in the same order and the same total, and the
// facet counts match the SQL facets. Then the change feed: whatever a writer
// does to the catalog shows in the index after one step.
#include "service/catalog/catalog_index_refresher.hpp"
#include "storage/migrations.hpp"

#include <gtest/gtest.h>

#include <random>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::service {
namespace {

using domain::ItemQuery;
using domain::ItemSort;

constexpr ItemSort kSorts[] = {ItemSort::kSales,
                               ItemSort::kNewest,
                               ItemSort::kPriceAsc,
                               ItemSort::kPriceDesc,
                               ItemSort::kDiscountRateDesc,
                               ItemSort::kDiscountRateAsc,
                               ItemSort::kReviewCount,
                               ItemSort::kStar};
const std::vector<std::string> kNames = {"루테인 지아잔틴", "밀크씨슬",    "Vitamin C", "vitamin D3",
                                         "오메가3_rTG",     "홍삼정 100%", "ZINC plus", "칼슘 마그네슘",
                                         "프로바이오틱스",  "코엔자임Q10"};
const std::vector<std::string> kFunctions = {"눈 건강",   "뼈 형성", "기억력 개선", "배변활동", "간 건강",
                                             "피부 보습", "항산화",  "피로 개선",   "면역력",   "기타 기능"};
const std::vector<std::string> kBrands = {"종근당건강", "솔가",      "GNM자연의품격", "고려은단", "뉴트리원",
                                          "Solgar",     "NOW Foods", "정관장",        "일양약품", "대웅제약"};
const std::vector<std::string> kKeywords = {"루테인", "vitamin", "VITAMIN d", "3",    "100%",   "_rTG", "씨슬",
                                            "zinc",   "nutri",   "건강",      "정관", "없는말", "솔"};

class CatalogIndexEquivalenceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<storage::Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    storage::Migrate(*db_, testing::RealClock());
    repo_ = std::make_unique<storage::ItemRepository>(*db_, testing::RealClock());
  }

  std::vector<domain::Item> RandomCatalog(int count) {
    auto pick = [&](int n) { return static_cast<int>(random_() % static_cast<unsigned>(n)); };
    std::vector<domain::Item> items;
    for (int i = 0; i < count; ++i) {
      std::string function = kFunctions[static_cast<std::size_t>(pick(10))];
      if (pick(3) == 0) function += ", " + kFunctions[static_cast<std::size_t>(pick(10))];
      auto item = testing::MakeItem(kNames[static_cast<std::size_t>(pick(10))] + " " + std::to_string(pick(40)),
                                    kBrands[static_cast<std::size_t>(pick(10))], function, 1'000 * (1 + pick(120)),
                                    std::vector<int>{0, 0, 50, 100, 125, 333}[static_cast<std::size_t>(pick(6))],
                                    pick(3), pick(30));
      item.categories = domain::ClassifyMainFunction(function);
      item.review_count = pick(5);
      item.star_sum = item.review_count * (1 + pick(5)) - (item.review_count > 1 ? pick(2) : 0);
      if (pick(12) == 0) item.status = domain::ItemStatus::kHidden;
      items.push_back(item);
    }
    return items;
  }

  ItemQuery RandomQuery() {
    auto pick = [&](int n) { return static_cast<int>(random_() % static_cast<unsigned>(n)); };
    ItemQuery q;
    if (pick(3) == 0) q.keyword = kKeywords[static_cast<std::size_t>(pick(static_cast<int>(kKeywords.size())))];
    if (pick(3) == 0) q.category = domain::kAllCategories[pick(10)];
    if (pick(4) == 0) q.brand = pick(10) == 0 ? std::string("없는브랜드") : kBrands[static_cast<std::size_t>(pick(10))];
    if (pick(3) == 0) q.min_price = 1'000 * pick(80);
    if (pick(3) == 0) q.max_price = q.min_price.value_or(0) + 1'000 * pick(80);
    if (pick(3) == 0) q.on_sale = pick(2) == 0;
    q.sort = kSorts[pick(8)];
    q.page.page = 1 + pick(10);
    q.page.size = std::vector<int>{5, 20, 20, 50}[static_cast<std::size_t>(pick(4))];
    return q;
  }

  static std::vector<std::int64_t> Ids(const storage::ItemPage& page) {
    std::vector<std::int64_t> ids;
    for (const auto& item : page.items) ids.push_back(item.id);
    return ids;
  }

  std::shared_ptr<const CatalogIndex> Built(CatalogIndexRefresher& refresher, bool with_stats = false) {
    refresher.Step(with_stats);
    return refresher.Current();
  }

  std::mt19937 random_{20261202};
  testing::TempDir dir_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::ItemRepository> repo_;
};

TEST_P(CatalogIndexEquivalenceTest, RandomSearches_GiveTheSqlPathsPagesTotalsAndFacets) {
  repo_->InsertMany(RandomCatalog(1500));
  CatalogIndexRefresher refresher(*repo_, {});
  auto index = Built(refresher);
  ASSERT_TRUE(index);
  for (int i = 0; i < 3000; ++i) {
    ItemQuery q = RandomQuery();
    auto sql = repo_->Search(q);
    auto memory = index->Search(q);
    ASSERT_EQ(memory.total, sql.total) << q.CacheKey();
    ASSERT_EQ(Ids(memory), Ids(sql)) << q.CacheKey();
    if (i % 10 == 0) {
      auto expected = repo_->Facets(q);
      auto facets = index->Facets(q);
      ASSERT_EQ(facets.categories, expected.categories) << q.CacheKey();
      ASSERT_EQ(facets.brands, expected.brands) << q.CacheKey();
      ASSERT_EQ(facets.price_bands.size(), expected.price_bands.size());
      for (std::size_t b = 0; b < facets.price_bands.size(); ++b)
        ASSERT_EQ(facets.price_bands[b].second, expected.price_bands[b].second) << q.CacheKey();
    }
  }
  // The summaries themselves are the SQL path's.
  ItemQuery all;
  all.page.size = 100;
  auto sql = repo_->Search(all).items;
  auto memory = index->Search(all).items;
  ASSERT_EQ(sql.size(), memory.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    EXPECT_EQ(memory[i].product_name, sql[i].product_name);
    EXPECT_EQ(memory[i].enterprise, sql[i].enterprise);
    EXPECT_EQ(memory[i].main_function, sql[i].main_function);
    EXPECT_EQ(memory[i].thumbnail_url, sql[i].thumbnail_url);
    EXPECT_EQ(memory[i].categories, sql[i].categories);
    EXPECT_EQ(memory[i].price.Real(), sql[i].price.Real());
    EXPECT_EQ(memory[i].stock, sql[i].stock);
    EXPECT_EQ(memory[i].sales, sql[i].sales);
    EXPECT_EQ(memory[i].review_count, sql[i].review_count);
    EXPECT_EQ(memory[i].star_sum, sql[i].star_sum);
  }
}

TEST_P(CatalogIndexEquivalenceTest, ChangeFeed_BringsEveryCatalogWriteInOneStep) {
  repo_->InsertMany(testing::SampleCatalog());
  std::vector<std::vector<std::int64_t>> announced;
  CatalogIndexRefresher refresher(*repo_, {}, [&](const std::vector<std::int64_t>& ids) { announced.push_back(ids); });
  auto index = Built(refresher);
  ASSERT_EQ(index->Size(), 7u);  // the hidden one is not searchable
  auto same = [&](const ItemQuery& q) {
    auto now = refresher.Current();
    ASSERT_TRUE(now);
    EXPECT_EQ(Ids(now->Search(q)), Ids(repo_->Search(q))) << q.CacheKey();
    EXPECT_EQ(now->Search(q).total, repo_->Search(q).total) << q.CacheKey();
  };

  // Edited: a new category, a discount taken away, a new name.
  auto item = *repo_->FindById(1);
  item.main_function = "간 건강";
  item.categories = domain::ClassifyMainFunction(item.main_function);
  item.price.rate_tenths = 0;
  item.product_name = "새이름 루테인";
  ASSERT_TRUE(repo_->Update(item));
  Built(refresher);
  ASSERT_EQ(announced.size(), 1u);
  EXPECT_EQ(announced.back(), std::vector<std::int64_t>{1});
  ItemQuery eye;
  eye.category = domain::Category::kEye;
  same(eye);
  ItemQuery liver;
  liver.category = domain::Category::kLiver;
  same(liver);
  ItemQuery discounted;
  discounted.on_sale = true;
  same(discounted);
  ItemQuery renamed;
  renamed.keyword = "새이름";
  same(renamed);
  EXPECT_EQ(refresher.Current()->Search(renamed).total, 1);

  // Hidden, and a new item.
  auto hidden = *repo_->FindById(2);
  hidden.status = domain::ItemStatus::kHidden;
  ASSERT_TRUE(repo_->Update(hidden));
  auto added = testing::MakeItem("신상품 오메가", "새브랜드", "혈행 개선", 20'000, 100);
  std::int64_t added_id = repo_->Insert(added);
  Built(refresher);
  EXPECT_EQ(refresher.Current()->Size(), 7u);
  ItemQuery fresh;
  fresh.keyword = "신상품";
  same(fresh);
  EXPECT_EQ(refresher.Current()->Search(fresh).total, 1);
  ItemQuery everything;
  everything.page.size = 100;
  same(everything);
  EXPECT_EQ(announced.back(), (std::vector<std::int64_t>{2, added_id}));

  // A public-data import: a new (hidden until priced) item, and new text for one that exists.
  auto imported = testing::MakeItem("수입 신제품", "수입사", "눈 건강", 0, 0);
  imported.report_no = "99999";
  auto reimported = *repo_->FindById(3);
  reimported.product_name = "칼슘 마그네슘 리뉴얼";
  repo_->UpsertPublicData({imported, reimported});
  Built(refresher);
  ItemQuery renewed;
  renewed.keyword = "리뉴얼";
  same(renewed);
  EXPECT_EQ(refresher.Current()->Search(renewed).total, 1);
  same(everything);

  // Nothing new: no new index, nothing announced.
  auto before = refresher.Current();
  auto announcements = announced.size();
  Built(refresher);
  EXPECT_EQ(refresher.Current(), before);
  EXPECT_EQ(announced.size(), announcements);
}

TEST_P(CatalogIndexEquivalenceTest, ItemsWrittenBeforeTheVersionColumn_AreInTheFirstBuild) {
  repo_->InsertMany(testing::SampleCatalog());
  {
    auto lease = db_->Acquire();
    *lease << "UPDATE items SET catalog_version = 0";  // as v009 leaves an existing catalog
  }
  CatalogIndexRefresher refresher(*repo_, {});
  EXPECT_EQ(Built(refresher)->Size(), 7u);
  auto item = *repo_->FindById(2);
  item.status = domain::ItemStatus::kHidden;
  ASSERT_TRUE(repo_->Update(item));
  EXPECT_EQ(Built(refresher)->Size(), 6u);
}

TEST_P(CatalogIndexEquivalenceTest, Statistics_ArriveWithTheStatsStep) {
  repo_->InsertMany(testing::SampleCatalog());
  CatalogIndexRefresher refresher(*repo_, {});
  Built(refresher);
  {
    auto lease = db_->Acquire();
    *lease << "UPDATE items SET sales = sales + 1000, stock = 0 WHERE id = 6";
  }
  ItemQuery best;
  best.page.size = 1;
  EXPECT_NE(Built(refresher, false)->Search(best).items.at(0).id, 6);  // may lag until the stats step
  auto page = Built(refresher, true)->Search(best);
  EXPECT_EQ(page.items.at(0).id, 6);
  EXPECT_EQ(page.items.at(0).stock, 0);
  EXPECT_EQ(Ids(page), Ids(repo_->Search(best)));
}

INSTANTIATE_TEST_SUITE_P(Engines, CatalogIndexEquivalenceTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::service
