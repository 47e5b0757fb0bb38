#include "domain/offer.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

Offer OfferOf(std::int64_t id, std::int64_t origin, int rate_tenths, std::int64_t stock,
              ItemStatus status = ItemStatus::kOnSale) {
  Price price{origin, rate_tenths};
  return {id, "item " + std::to_string(id), "/t.png", price.origin, price.Real(), status, stock};
}

TEST(PriceLine_FromTheOffer, TakesUnitPricesFromTheCatalogNeverTheRequest) {
  auto line = PriceLine(OfferOf(1, 30'000, 100, 10), {1, 2, std::nullopt});
  EXPECT_EQ(line.item_id, 1);
  EXPECT_EQ(line.product_name, "item 1");
  EXPECT_EQ(line.unit_origin_price, 30'000);
  EXPECT_EQ(line.unit_real_price, 27'000);
  EXPECT_EQ(line.LineOrigin(), 60'000);
  EXPECT_EQ(line.LineTotal(), 54'000);
  EXPECT_TRUE(line.in_stock);
  EXPECT_EQ(PriceLine(OfferOf(1, 30'000, 100, 10), {1, 1, 30}).period, 30);
}

TEST(ComputeTotals_OfPricedLines, AddsCountsPricesAndTheDiscount) {
  std::vector<PricedLine> lines{PriceLine(OfferOf(1, 30'000, 100, 10), {1, 2, std::nullopt}),
                                PriceLine(OfferOf(3, 15'000, 250, 5), {3, 1, std::nullopt})};
  auto totals = ComputeTotals(lines);
  EXPECT_EQ(totals.item_count, 3);
  EXPECT_EQ(totals.total_origin_price, 2 * 30'000 + 15'000);
  EXPECT_EQ(totals.total_price, 2 * 27'000 + 11'250);
  EXPECT_EQ(totals.total_discount_price, 6'000 + 3'750);
}

TEST(IsAvailable_WhenStockOrStatusFallShort, IsFalse) {
  EXPECT_TRUE(IsAvailable(OfferOf(1, 1'000, 0, 5), 5));
  EXPECT_FALSE(IsAvailable(OfferOf(1, 1'000, 0, 5), 6));
  EXPECT_FALSE(IsAvailable(OfferOf(1, 1'000, 0, 5, ItemStatus::kHidden), 1));
  EXPECT_FALSE(PriceLine(OfferOf(1, 1'000, 0, 5, ItemStatus::kHidden), {1, 1, std::nullopt}).in_stock);
  EXPECT_FALSE(PriceLine(OfferOf(1, 1'000, 0, 0), {1, 1, std::nullopt}).in_stock);
}

TEST(IsInStock_OfACatalogItem, NeedsOneUnitLeft) {
  Item item;
  EXPECT_FALSE(IsInStock(item));
  item.stock = 1;
  EXPECT_TRUE(IsInStock(item));
  EXPECT_TRUE(IsOnSale(ItemStatus::kOnSale));
  EXPECT_FALSE(IsOnSale(ItemStatus::kHidden));
}

TEST(CheckOrderable_WhenTheItemIsMissingOrHidden, AnswersItemNotFoundNamingIt) {
  EXPECT_NO_THROW(CheckOrderable(1, OfferOf(1, 1'000, 0, 0)));  // out of stock is the reservation's answer
  for (const auto& offer : {std::optional<Offer>{}, std::optional(OfferOf(8, 1'000, 0, 10, ItemStatus::kHidden))}) {
    try {
      CheckOrderable(8, offer);
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.Code(), "ITEM_NOT_FOUND");
      ASSERT_EQ(e.Errors().size(), 1u);
      EXPECT_EQ(e.Errors()[0].field, "lines");
      EXPECT_EQ(e.Errors()[0].reason, "item 8 does not exist");
    }
  }
}

TEST(OutOfStock_OfShortLines, NamesEachLine) {
  Error e = OutOfStock({{2, "루테인", 1}, {3, "밀크씨슬", 6}});
  EXPECT_EQ(e.Code(), "OUT_OF_STOCK");
  ASSERT_EQ(e.Errors().size(), 2u);
  EXPECT_EQ(e.Errors()[1].reason, "item 3 (밀크씨슬) has fewer than 6 in stock");
}

TEST(MergeLines_WithoutChecks, AddsQuantitiesAndKeepsTheFirstPeriod) {
  auto merged = MergeLines({{4, 2, 30}, {1, 1, 30}, {4, 3, 60}});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].item_id, 4);
  EXPECT_EQ(merged[0].quantity, 5);
  EXPECT_EQ(merged[0].period, 30);
  EXPECT_EQ(merged[1].item_id, 1);
}

}  // namespace
}  // namespace pillivery::domain
