#include "domain/checkout.hpp"

#include "domain/error.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

Offer OfferOf(std::int64_t id, std::int64_t origin, int rate_tenths, std::int64_t stock,
              ItemStatus status = ItemStatus::kOnSale) {
  Price price{origin, rate_tenths};
  return {id, "item " + std::to_string(id), "/t.png", price.origin, price.Real(), status, stock};
}

CheckoutRequest RequestOf(std::vector<LineRequest> lines) {
  CheckoutRequest request;
  request.user_id = 7;
  request.lines = std::move(lines);
  request.receiver = {"홍길동", "010-1234-5678", "서울", "강남구 1"};
  request.idempotency_key = "key-1";
  request.now_ms = 1'000;
  request.expires_at_ms = 1'000 + 30 * 60 * 1000;
  request.now_iso = "2026-11-24T10:00:00.000+09:00";
  return request;
}

TEST(CheckoutLines_OfARequest, AreMergedAndInItemIdOrder) {
  auto lines = CheckoutLines({{3, 1, std::nullopt}, {1, 2, std::nullopt}, {3, 4, std::nullopt}});
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].item_id, 1);
  EXPECT_EQ(lines[0].quantity, 2);
  EXPECT_EQ(lines[1].item_id, 3);
  EXPECT_EQ(lines[1].quantity, 5);
}

TEST(DecideCheckout_WithOffersForEveryLine, PlansAPendingOrderPricedFromTheCatalog) {
  auto request = RequestOf({{3, 1, std::nullopt}, {1, 2, std::nullopt}});
  CheckoutFacts facts;
  facts.offers = {OfferOf(1, 30'000, 100, 10), OfferOf(3, 15'000, 250, 5)};  // item-id order
  auto plan = DecideCheckout(request, facts);
  const Order& order = plan.order;
  EXPECT_EQ(order.id, 0);
  EXPECT_EQ(order.user_id, 7);
  EXPECT_EQ(order.status, OrderStatus::kPendingPayment);
  ASSERT_EQ(order.lines.size(), 2u);
  EXPECT_EQ(order.lines[0].item_id, 1);
  EXPECT_EQ(order.lines[0].unit_real_price, 27'000);
  EXPECT_EQ(order.lines[1].item_id, 3);
  EXPECT_EQ(order.totals.item_count, 3);
  EXPECT_EQ(order.totals.total_price, 2 * 27'000 + 11'250);
  EXPECT_EQ(order.receiver.name, "홍길동");
  EXPECT_EQ(order.created_at, request.now_iso);
  ASSERT_EQ(order.history.size(), 1u);
  EXPECT_EQ(order.history[0].status, OrderStatus::kPendingPayment);
  EXPECT_EQ(plan.idempotency_key, std::optional<std::string>("key-1"));
  EXPECT_EQ(plan.created_at_ms, 1'000);
  EXPECT_EQ(plan.expires_at_ms, 1'000 + 30 * 60 * 1000);
}

TEST(DecideCheckout_WhenAnItemIsMissingOrHidden, AnswersItemNotFound) {
  CheckoutFacts missing;
  missing.offers = {OfferOf(1, 1'000, 0, 5), std::nullopt};
  try {
    DecideCheckout(RequestOf({{1, 1, std::nullopt}, {999, 1, std::nullopt}}), missing);
    FAIL() << "expected ITEM_NOT_FOUND";
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "ITEM_NOT_FOUND");
  }
  CheckoutFacts hidden;
  hidden.offers = {OfferOf(8, 1'000, 0, 5, ItemStatus::kHidden)};
  EXPECT_THROW(DecideCheckout(RequestOf({{8, 1, std::nullopt}}), hidden), Error);
}

TEST(DecideCheckout_WhenTheAccountHoldsTooMuch, RefusesBeforeLookingAtTheOffers) {
  auto request = RequestOf({{1, 1, std::nullopt}});
  request.open_limits = OpenOrderLimits{5, 99};
  CheckoutFacts facts;
  facts.open = OpenOrders{5, {}};
  facts.offers = {std::nullopt};  // would be ITEM_NOT_FOUND: the limit is decided first
  try {
    DecideCheckout(request, facts);
    FAIL() << "expected TOO_MANY_OPEN_ORDERS";
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "TOO_MANY_OPEN_ORDERS");
  }
  facts.open = OpenOrders{4, {{1, 99}}};
  facts.offers = {OfferOf(1, 1'000, 0, 5)};
  try {
    DecideCheckout(request, facts);
    FAIL() << "expected OPEN_QUANTITY_EXCEEDED";
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "OPEN_QUANTITY_EXCEEDED");
  }
  facts.open = OpenOrders{4, {{1, 98}}};
  EXPECT_EQ(DecideCheckout(request, facts).order.lines.size(), 1u);
}

TEST(DecideCheckout_WithoutLimits, NeedsNoOpenOrders) {
  CheckoutFacts facts;
  facts.offers = {OfferOf(1, 1'000, 0, 0)};  // no stock: the ledger's guard decides that, not this
  auto plan = DecideCheckout(RequestOf({{1, 1, std::nullopt}}), facts);
  ASSERT_EQ(plan.order.lines.size(), 1u);
  EXPECT_FALSE(plan.order.lines[0].in_stock);
}

}  // namespace
}  // namespace pillivery::domain
