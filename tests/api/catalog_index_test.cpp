// The in-memory catalog index as pure logic: every filter and sort against a
// plain filter-and-sort written independently here, on random catalogs full
// of ties; facet counts; keyword edge cases. (catalog_index_equivalence_test
// compares it with the SQL path on both engines.)
#include "service/catalog/catalog_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace pillivery::service {
namespace {

using domain::Category;
using domain::ItemQuery;
using domain::ItemSort;
using Entry = CatalogIndex::Entry;

constexpr ItemSort kSorts[] = {ItemSort::kSales,
                               ItemSort::kNewest,
                               ItemSort::kPriceAsc,
                               ItemSort::kPriceDesc,
                               ItemSort::kDiscountRateDesc,
                               ItemSort::kDiscountRateAsc,
                               ItemSort::kReviewCount,
                               ItemSort::kStar};

const std::vector<std::string> kWords = {"루테인",  "밀크씨슬", "Vitamin", "vitamin C",
                                         "오메가3", "홍삼",     "Zinc",    "칼슘"};
const std::vector<std::string> kBrands = {"종근당건강", "솔가", "GNM", "gnm", "고려은단", "뉴트리원", "Solgar"};

std::vector<Entry> RandomCatalog(std::mt19937& random, int count) {
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<Entry> entries;
  for (int i = 0; i < count; ++i) {
    Entry e;
    e.id = i * 2 + 1 + pick(2);  // gaps in the ids
    e.texts = std::make_shared<const CatalogIndex::Texts>(
        CatalogIndex::Texts{kWords[static_cast<std::size_t>(pick(8))] + " " +
                                kWords[static_cast<std::size_t>(pick(8))] + " " + std::to_string(pick(5)),
                            kBrands[static_cast<std::size_t>(pick(7))], "", ""});
    e.categories = static_cast<std::uint16_t>(1u << pick(10));
    if (pick(3) == 0) e.categories |= static_cast<std::uint16_t>(1u << pick(10));
    e.rate_tenths = std::vector<int>{0, 0, 50, 100, 125, 300}[static_cast<std::size_t>(pick(6))];
    e.origin_price = 5'000 * (1 + pick(30));
    e.real_price = domain::Price{e.origin_price, e.rate_tenths}.Real();
    e.stock = pick(3);
    e.sales = pick(20);
    e.review_count = pick(6);
    e.star_sum = e.review_count * (1 + pick(5));
    e.star_avg = e.review_count ? static_cast<double>(e.star_sum) / static_cast<double>(e.review_count) : 0.0;
    entries.push_back(e);
  }
  return entries;
}

std::string Fold(std::string text) { return FoldAsciiCase(text); }

bool Matches(const Entry& e, const ItemQuery& q) {
  if (q.keyword) {
    auto k = Fold(*q.keyword);
    if (Fold(e.texts->name).find(k) == std::string::npos && Fold(e.texts->brand).find(k) == std::string::npos)
      return false;
  }
  if (q.category && !(e.categories & (1u << static_cast<int>(*q.category)))) return false;
  if (q.brand && e.texts->brand != *q.brand) return false;
  if (q.min_price && e.real_price < *q.min_price) return false;
  if (q.max_price && e.real_price > *q.max_price) return false;
  if (q.on_sale && (e.rate_tenths > 0) != *q.on_sale) return false;
  return true;
}

// The ORDER BY clauses of ItemRepository, spelled out as tuples.
bool SqlOrder(ItemSort sort, const Entry& a, const Entry& b) {
  switch (sort) {
    case ItemSort::kSales:
      return std::tie(b.sales, b.id) < std::tie(a.sales, a.id);
    case ItemSort::kNewest:
      return b.id < a.id;
    case ItemSort::kPriceAsc:
      return std::tie(a.real_price, a.id) < std::tie(b.real_price, b.id);
    case ItemSort::kPriceDesc:
      return std::tie(b.real_price, b.id) < std::tie(a.real_price, a.id);
    case ItemSort::kDiscountRateDesc:
      return std::tie(b.rate_tenths, b.id) < std::tie(a.rate_tenths, a.id);
    case ItemSort::kDiscountRateAsc:
      return std::tie(a.rate_tenths, a.id) < std::tie(b.rate_tenths, b.id);
    case ItemSort::kReviewCount:
      return std::tie(b.review_count, b.id) < std::tie(a.review_count, a.id);
    case ItemSort::kStar:
      return std::tie(b.star_avg, b.id) < std::tie(a.star_avg, a.id);
  }
  return false;
}

std::pair<std::vector<std::int64_t>, std::int64_t> Reference(std::vector<Entry> entries, const ItemQuery& q) {
  std::erase_if(entries, [&](const Entry& e) { return !Matches(e, q); });
  std::sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) { return SqlOrder(q.sort, a, b); });
  std::vector<std::int64_t> ids;
  for (auto i = static_cast<std::size_t>(q.page.Offset());
       i < entries.size() && ids.size() < static_cast<std::size_t>(q.page.size); ++i)
    ids.push_back(entries[i].id);
  return {ids, static_cast<std::int64_t>(entries.size())};
}

ItemQuery RandomQuery(std::mt19937& random) {
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  ItemQuery q;
  if (pick(3) == 0)
    q.keyword = std::vector<std::string>{
        "루테", "vitamin", "VITAMIN c", "3", "홍삼 칼", "gn", "zz"}[static_cast<std::size_t>(pick(7))];
  if (pick(3) == 0) q.category = domain::kAllCategories[pick(10)];
  if (pick(4) == 0) q.brand = pick(8) == 0 ? std::string("없는브랜드") : kBrands[static_cast<std::size_t>(pick(7))];
  if (pick(3) == 0) q.min_price = 5'000 * pick(20);
  if (pick(3) == 0) q.max_price = q.min_price.value_or(0) + 5'000 * pick(20);
  if (pick(3) == 0) q.on_sale = pick(2) == 0;
  q.sort = kSorts[pick(8)];
  q.page.page = 1 + pick(10);
  q.page.size = std::vector<int>{1, 5, 20, 100}[static_cast<std::size_t>(pick(4))];
  return q;
}

TEST(CatalogIndex, EverySearch_MatchesAPlainFilterAndSort) {
  std::mt19937 random(17);
  for (int round = 0; round < 4; ++round) {
    auto entries = RandomCatalog(random, round == 0 ? 0 : 200 * round * round);
    CatalogIndex index(entries, 1);
    for (int i = 0; i < 1500; ++i) {
      ItemQuery q = RandomQuery(random);
      auto [ids, total] = Reference(entries, q);
      auto page = index.Search(q);
      std::vector<std::int64_t> got;
      for (const auto& item : page.items) got.push_back(item.id);
      ASSERT_EQ(page.total, total) << q.CacheKey();
      ASSERT_EQ(got, ids) << q.CacheKey();
    }
  }
}

// A filter set's total is remembered by the snapshot, and a later page walk
// stops at its last item: every sort and page of a set asked again (pages past
// the end and the last, partial page included) answers as the reference does.
TEST(CatalogIndex, RepeatedFilterSets_AnswerEverySortAndPageAsTheFirstAsk) {
  std::mt19937 random(29);
  auto entries = RandomCatalog(random, 900);
  CatalogIndex index(entries, 1);
  for (int i = 0; i < 60; ++i) {
    ItemQuery filters = RandomQuery(random);
    auto first_facets = index.Facets(filters);
    for (int pass = 0; pass < 2; ++pass) {
      for (auto sort : kSorts) {
        for (int page = 1; page <= 12; ++page) {
          ItemQuery q = filters;
          q.sort = sort;
          q.page.page = page;
          q.page.size = page % 3 == 0 ? 7 : 20;
          auto [ids, total] = Reference(entries, q);
          auto got_page = index.Search(q);
          std::vector<std::int64_t> got;
          for (const auto& item : got_page.items) got.push_back(item.id);
          ASSERT_EQ(got_page.total, total) << q.CacheKey() << " pass " << pass;
          ASSERT_EQ(got, ids) << q.CacheKey() << " pass " << pass;
        }
      }
    }
    auto again = index.Facets(filters);
    EXPECT_EQ(again.categories, first_facets.categories);
    EXPECT_EQ(again.brands, first_facets.brands);
    EXPECT_EQ(again.price_bands.size(), first_facets.price_bands.size());
  }
}

TEST(CatalogIndex, Facets_CountEachFacetUnderTheOtherFilters) {
  std::mt19937 random(23);
  auto entries = RandomCatalog(random, 600);
  CatalogIndex index(entries, 1);
  for (int i = 0; i < 300; ++i) {
    ItemQuery q = RandomQuery(random);
    auto facets = index.Facets(q);
    ItemQuery any_category = q, any_brand = q, any_price = q;
    any_category.category.reset();
    any_brand.brand.reset();
    any_price.min_price.reset();
    any_price.max_price.reset();
    ASSERT_EQ(facets.categories.size(), 10u);
    for (const auto& [category, count] : facets.categories) {
      ItemQuery one = any_category;
      one.category = category;
      EXPECT_EQ(count, Reference(entries, one).second) << q.CacheKey();
    }
    std::vector<std::pair<std::string, std::int64_t>> brands;
    for (const auto& brand : kBrands) {
      ItemQuery one = any_brand;
      one.brand = brand;
      brands.emplace_back(brand, Reference(entries, one).second);
    }
    domain::KeepTopBrands(brands);
    EXPECT_EQ(facets.brands, brands) << q.CacheKey();
    ASSERT_EQ(facets.price_bands.size(), domain::PriceBands().size());
    for (const auto& [band, count] : facets.price_bands) {
      ItemQuery one = any_price;
      one.min_price = band.min;
      one.max_price = band.max;
      EXPECT_EQ(count, Reference(entries, one).second) << q.CacheKey();
    }
  }
}

TEST(CatalogIndex, Facets_KeepTheTwentyLargestBrands) {
  std::vector<Entry> entries;
  for (int b = 0; b < 30; ++b)
    for (int i = 0; i <= b; ++i) {
      Entry e;
      e.id = static_cast<std::int64_t>(entries.size()) + 1;
      e.texts = std::make_shared<const CatalogIndex::Texts>(
          CatalogIndex::Texts{"item", "brand" + std::to_string(100 + b), "", ""});
      e.categories = 1;
      entries.push_back(e);
    }
  CatalogIndex index(entries, 1);
  auto facets = index.Facets({});
  ASSERT_EQ(facets.brands.size(), 20u);
  EXPECT_EQ(facets.brands.front(), (std::pair<std::string, std::int64_t>{"brand129", 30}));
  EXPECT_EQ(facets.brands.back(), (std::pair<std::string, std::int64_t>{"brand110", 11}));
}

TEST(CatalogIndex, Keyword_IgnoresAsciiCaseButNeverMatchesAcrossNameAndBrand) {
  Entry a;
  a.id = 1;
  a.texts = std::make_shared<const CatalogIndex::Texts>(CatalogIndex::Texts{"Vitamin C", "GNM", "", ""});
  Entry b;
  b.id = 2;
  b.texts = std::make_shared<const CatalogIndex::Texts>(CatalogIndex::Texts{"비타민", "솔가", "", ""});
  CatalogIndex index({a, b}, 1);
  auto ids = [&](std::string keyword) {
    ItemQuery q;
    q.keyword = std::move(keyword);
    std::vector<std::int64_t> out;
    for (const auto& item : index.Search(q).items) out.push_back(item.id);
    return out;
  };
  EXPECT_EQ(ids("vitamin c"), std::vector<std::int64_t>{1});
  EXPECT_EQ(ids("gnm"), std::vector<std::int64_t>{1});
  EXPECT_EQ(ids("C\nG"), std::vector<std::int64_t>{});
  EXPECT_EQ(ids("민"), std::vector<std::int64_t>{2});
  EXPECT_EQ(ids("비타민씨"), std::vector<std::int64_t>{});
}

TEST(CatalogIndex, Items_CarryTheSummaryFields) {
  storage::CatalogRow row;
  row.item.id = 7;
  row.item.product_name = "루테인";
  row.item.enterprise = "종근당건강";
  row.item.thumbnail_url = "https://img.example/7.jpg";
  row.item.main_function = "눈 건강";
  row.item.categories = {Category::kEye, Category::kLiver};
  row.item.price = {30'000, 125};
  row.item.stock = 4;
  row.item.sales = 9;
  row.item.review_count = 2;
  row.item.star_sum = 9;
  row.star_avg = 4.5;
  CatalogIndex index({CatalogIndex::EntryOf(row)}, 3);
  EXPECT_EQ(index.Version(), 3);
  auto page = index.Search({});
  ASSERT_EQ(page.items.size(), 1u);
  const auto& item = page.items[0];
  EXPECT_EQ(item.product_name, "루테인");
  EXPECT_EQ(item.enterprise, "종근당건강");
  EXPECT_EQ(item.thumbnail_url, "https://img.example/7.jpg");
  EXPECT_EQ(item.main_function, "눈 건강");
  EXPECT_EQ(item.categories, (std::vector<Category>{Category::kEye, Category::kLiver}));
  EXPECT_EQ(item.price.Real(), 26'250);
  EXPECT_EQ(item.stock, 4);
  EXPECT_EQ(item.sales, 9);
  EXPECT_DOUBLE_EQ(item.StarAvg(), 4.5);
  EXPECT_GT(index.MemoryBytes(), 0u);
}

}  // namespace
}  // namespace pillivery::service
