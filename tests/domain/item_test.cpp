#include "domain/item.hpp"
#include "domain/error.hpp"
#include "domain/item_query.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

TEST(Classify_WhenMainFunctionMentionsLiver, ReturnsLiver) {
  EXPECT_EQ(ClassifyMainFunction("[밀크씨슬추출물]\n간 건강에 도움을 줄 수 있음"),
            std::vector<Category>{Category::kLiver});
}

TEST(Classify_WhenSeveralKeywordsOccur, ReturnsEveryCategoryInOrder) {
  auto categories = ClassifyMainFunction("눈 건강, 뼈 형성, 기억력 개선, 면역 기능, 피로 개선, 피부 보습, 항산화");
  std::vector<Category> expected{Category::kEye,         Category::kBone,    Category::kBrain, Category::kSkin,
                                 Category::kAntioxidant, Category::kFatigue, Category::kImmune};
  EXPECT_EQ(categories, expected);
}

TEST(Classify_WhenNoKeywordOccurs, ReturnsEtc) {
  EXPECT_EQ(ClassifyMainFunction("영양보충"), std::vector<Category>{Category::kEtc});
  EXPECT_EQ(ClassifyMainFunction(""), std::vector<Category>{Category::kEtc});
}

TEST(Classify_IntestineKeywords, MatchLactobacillusAndBowel) {
  EXPECT_EQ(ClassifyMainFunction("유산균 증식"), std::vector<Category>{Category::kIntestine});
  EXPECT_EQ(ClassifyMainFunction("원활한 배변활동"), std::vector<Category>{Category::kIntestine});
  EXPECT_EQ(ClassifyMainFunction("혈액순환 개선"), std::vector<Category>{Category::kFatigue});
  EXPECT_EQ(ClassifyMainFunction("골다공증 발생 위험 감소"), std::vector<Category>{Category::kBone});
  EXPECT_EQ(ClassifyMainFunction("인지능력 개선"), std::vector<Category>{Category::kBrain});
}

TEST(CategoryCodes, RoundTripCaseInsensitively) {
  for (auto c : kAllCategories) EXPECT_EQ(ParseCategory(CodeOf(c)), c);
  EXPECT_EQ(ParseCategory("liver"), Category::kLiver);
  EXPECT_EQ(ParseCategory("LIVERS"), std::nullopt);
  EXPECT_EQ(ParseCategory(""), std::nullopt);
}

TEST(Price_DiscountRoundsHalfUp, OnExactHalves) {
  EXPECT_EQ((Price{10'000, 125}).Discount(), 1'250);  // 12.5%
  EXPECT_EQ((Price{999, 105}).Discount(), 105);       // 104.895 → 105
  EXPECT_EQ((Price{10, 250}).Discount(), 3);          // 2.5 → 3 (half up)
  EXPECT_EQ((Price{10, 249}).Discount(), 2);          // 2.49 → 2
  EXPECT_EQ((Price{0, 500}).Discount(), 0);
  EXPECT_EQ((Price{12'345, 1000}).Real(), 0);  // 100% off
  EXPECT_EQ((Price{12'345, 0}).Real(), 12'345);
}

TEST(ParseDiscountRate, AcceptsOneDecimalWithinRange) {
  EXPECT_EQ(ParseDiscountRate("0"), 0);
  EXPECT_EQ(ParseDiscountRate("12.5"), 125);
  EXPECT_EQ(ParseDiscountRate("100"), 1000);
  EXPECT_EQ(ParseDiscountRate("100.1"), std::nullopt);
  EXPECT_EQ(ParseDiscountRate("1.25"), std::nullopt);
  EXPECT_EQ(ParseDiscountRate("-1"), std::nullopt);
  EXPECT_EQ(ParseDiscountRate("abc"), std::nullopt);
  EXPECT_EQ(ParseDiscountRate(""), std::nullopt);
  EXPECT_EQ(ParseDiscountRate("5."), std::nullopt);
}

TEST(ItemStatus, ParsesItsCodes) {
  EXPECT_EQ(ParseItemStatus("ON_SALE"), ItemStatus::kOnSale);
  EXPECT_EQ(ParseItemStatus("HIDDEN"), ItemStatus::kHidden);
  EXPECT_EQ(ParseItemStatus("on_sale"), std::nullopt);
  EXPECT_EQ(CodeOf(ItemStatus::kHidden), "HIDDEN");
}

TEST(StarAvg_IsExactMean, AndZeroWithoutReviews) {
  Item item;
  EXPECT_EQ(item.StarAvg(), 0.0);
  item.review_count = 3;
  item.star_sum = 13;
  EXPECT_DOUBLE_EQ(item.StarAvg(), 13.0 / 3.0);
}

std::vector<std::string> FieldsOf(const std::map<std::string, std::string>& params) {
  try {
    ParseItemQuery(params);
  } catch (const Error& e) {
    std::vector<std::string> fields;
    for (const auto& f : e.Errors()) fields.push_back(f.field);
    EXPECT_EQ(e.Code(), "VALIDATION_FAILED");
    EXPECT_EQ(e.Kind(), ErrorKind::kBadRequest);  // 400 (http::StatusOf)
    return fields;
  }
  return {};
}

TEST(ItemQuery_WhenParametersAreValid, ParsesEveryFilter) {
  auto q = ParseItemQuery({{"keyword", "  루테인 "},
                           {"category", "eye"},
                           {"brand", "솔가"},
                           {"minPrice", "1000"},
                           {"maxPrice", "20000"},
                           {"onSale", "true"},
                           {"sort", "PRICE_ASC"},
                           {"page", "3"},
                           {"size", "50"}});
  EXPECT_EQ(q.keyword, "루테인");
  EXPECT_EQ(q.category, Category::kEye);
  EXPECT_EQ(q.brand, "솔가");
  EXPECT_EQ(q.min_price, 1000);
  EXPECT_EQ(q.max_price, 20000);
  EXPECT_EQ(q.on_sale, true);
  EXPECT_EQ(q.sort, ItemSort::kPriceAsc);
  EXPECT_EQ(q.page.page, 3);
  EXPECT_EQ(q.page.size, 50);
  EXPECT_EQ(q.page.Offset(), 100);
}

TEST(ItemQuery_Defaults, AreSalesSortFirstPageOfTwenty) {
  auto q = ParseItemQuery({});
  EXPECT_EQ(q.sort, ItemSort::kSales);
  EXPECT_EQ(q.page.page, 1);
  EXPECT_EQ(q.page.size, 20);
  EXPECT_FALSE(q.keyword);
  auto blank = ParseItemQuery({{"keyword", "   "}, {"category", ""}, {"onSale", ""}});
  EXPECT_FALSE(blank.keyword);
  EXPECT_FALSE(blank.category);
}

TEST(ItemQuery_WhenSizeIsHuge, CapsItAtOneHundred) {
  EXPECT_EQ(ParseItemQuery({{"size", "1000000000"}}).page.size, 100);
}

TEST(ItemQuery_WhenInputIsBad, ReportsEveryFieldAsValidationFailure) {
  auto fields = FieldsOf({{"sort", "CHEAPEST"},
                          {"page", "0"},
                          {"size", "-1"},
                          {"minPrice", "x"},
                          {"category", "HEART"},
                          {"onSale", "yes"}});
  EXPECT_EQ(fields, (std::vector<std::string>{"category", "minPrice", "onSale", "sort", "page", "size"}));
  EXPECT_EQ(FieldsOf({{"minPrice", "5000"}, {"maxPrice", "100"}}), std::vector<std::string>{"minPrice"});
  EXPECT_EQ(FieldsOf({{"keyword", std::string(10'000, 'a')}}), std::vector<std::string>{"keyword"});
  EXPECT_EQ(FieldsOf({{"page", "99999999999999999999"}}), std::vector<std::string>{"page"});
  EXPECT_EQ(FieldsOf({{"maxPrice", "-5"}}), std::vector<std::string>{"maxPrice"});
}

TEST(ItemQuery_CacheKey, DiffersForDifferentQueries) {
  auto a = ParseItemQuery({{"category", "EYE"}});
  auto b = ParseItemQuery({{"category", "BONE"}});
  auto c = ParseItemQuery({{"category", "EYE"}, {"page", "2"}});
  EXPECT_NE(a.CacheKey(), b.CacheKey());
  EXPECT_NE(a.CacheKey(), c.CacheKey());
  EXPECT_EQ(a.CacheKey(), ParseItemQuery({{"category", "eye"}}).CacheKey());
  for (auto sort : {ItemSort::kSales, ItemSort::kNewest, ItemSort::kPriceAsc, ItemSort::kPriceDesc,
                    ItemSort::kDiscountRateDesc, ItemSort::kDiscountRateAsc, ItemSort::kReviewCount, ItemSort::kStar})
    EXPECT_EQ(ParseItemSort(CodeOf(sort)), sort);
}

}  // namespace
}  // namespace pillivery::domain

namespace pillivery::domain {
namespace {

// Catalog pages find a category with INSTR(category_codes, code): that is exact
// only while no code is a part of another.
TEST(CategoryCodes, NoCodeIsAPartOfAnother) {
  for (auto a : kAllCategories)
    for (auto b : kAllCategories)
      if (a != b) {
        EXPECT_EQ(CodeOf(b).find(CodeOf(a)), std::string_view::npos) << CodeOf(a) << " in " << CodeOf(b);
      }
}

}  // namespace
}  // namespace pillivery::domain
