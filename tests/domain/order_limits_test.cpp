#include "domain/error.hpp"
#include "domain/order.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

// Issue #13 item 5: two lines of one item must not pass the per-line cap.
TEST(MergeLines_WhenAnItemRepeats, AddsItsQuantitiesSoTheCapSeesTheTotal) {
  Validator v;
  auto merged = MergeLines({{1, 60, std::nullopt}, {2, 1, std::nullopt}, {1, 60, std::nullopt}}, v);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].item_id, 1);
  EXPECT_EQ(merged[0].quantity, 120);
  EXPECT_EQ(merged[1].item_id, 2);
  EXPECT_TRUE(v.Ok());
  ValidateLine(merged[0], OrderType::kOneTime, v, "lines[0].");
  EXPECT_FALSE(v.Ok());
}

TEST(MergeLines_WhenAnItemRepeatsWithAnotherPeriod, IsAValidationError) {
  Validator v;
  MergeLines({{1, 1, 30}, {1, 1, 60}}, v);
  EXPECT_FALSE(v.Ok());
}

// Issue #13 item 4: stock hoarding in unpaid orders.
TEST(CheckOpenOrderLimits_WhenTheAccountHoldsTheMostOpenOrders, RefusesWithTooManyOpenOrders) {
  OpenOrders open{5, {}};
  try {
    CheckOpenOrderLimits(open, {{1, 1, std::nullopt}}, OpenOrderLimits{5, 99});
    FAIL() << "expected TOO_MANY_OPEN_ORDERS";
  } catch (const Error& e) {
    EXPECT_EQ(e.Kind(), ErrorKind::kConflict);
    EXPECT_EQ(e.Code(), "TOO_MANY_OPEN_ORDERS");
  }
  EXPECT_NO_THROW(CheckOpenOrderLimits(OpenOrders{4, {}}, {{1, 1, std::nullopt}}, OpenOrderLimits{5, 99}));
}

TEST(CheckOpenOrderLimits_WhenAnItemsOpenQuantityWouldPassTheCap, RefusesNamingTheItem) {
  OpenOrders open{2, {{7, 60}, {8, 99}}};
  try {
    CheckOpenOrderLimits(open, {{7, 40, std::nullopt}, {9, 99, std::nullopt}}, OpenOrderLimits{5, 99});
    FAIL() << "expected OPEN_QUANTITY_EXCEEDED";
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "OPEN_QUANTITY_EXCEEDED");
    ASSERT_EQ(e.Errors().size(), 1u);
    EXPECT_NE(e.Errors()[0].reason.find("item 7"), std::string::npos);
  }
  EXPECT_NO_THROW(CheckOpenOrderLimits(open, {{7, 39, std::nullopt}}, OpenOrderLimits{5, 99}));
}

}  // namespace
}  // namespace pillivery::domain
