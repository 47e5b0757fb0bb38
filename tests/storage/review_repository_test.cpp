#include "storage/review_repository.hpp"

#include "domain/error.hpp"
#include "service/ordering/checkout.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/order_repository.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using Eligibility = domain::ReviewEligibility;

class ReviewRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 16);
    Migrate(*db_, testing::RealClock());
    items_ = std::make_unique<ItemRepository>(*db_, testing::RealClock());
    items_->InsertMany(testing::SampleCatalog());
    orders_ = std::make_unique<OrderRepository>(*db_);
    checkout_ = std::make_unique<service::Checkout>(*db_, *orders_);
    reviews_ = std::make_unique<ReviewRepository>(*db_);
  }
  // A paid order of `item` by `user`.
  void Buy(std::int64_t user, std::int64_t item) {
    domain::CheckoutRequest o;
    o.user_id = user;
    o.lines = {{item, 1, {}}};
    o.receiver = {"a", "010-1234-5678", "b", "c"};
    o.now_iso = "t";
    auto order = checkout_->Place(o);
    ASSERT_TRUE(orders_->MarkPaid(order.id, "KAKAOPAY", "T1", "t"));
  }
  domain::Item Item(std::int64_t id) { return *items_->FindById(id, true); }
  // What the review service decides from the purchases this repository reads.
  std::pair<Eligibility, std::int64_t> EligibleLine(std::int64_t user, std::int64_t item) {
    auto right = domain::DecideReviewRight(reviews_->Purchases(user, item));
    return {right.eligibility, right.order_line_id};
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ItemRepository> items_;
  std::unique_ptr<OrderRepository> orders_;
  std::unique_ptr<service::Checkout> checkout_;
  std::unique_ptr<ReviewRepository> reviews_;
};

TEST_P(ReviewRepositoryTest, Eligibility_RequiresAPaidPurchaseAndAllowsOneReviewPerLine) {
  EXPECT_EQ(EligibleLine(7, 1).first, Eligibility::kNotPurchased);
  domain::CheckoutRequest pending;
  pending.user_id = 7;
  pending.lines = {{1, 1, {}}};
  pending.receiver = {"a", "010-1234-5678", "b", "c"};
  checkout_->Place(pending);
  EXPECT_EQ(EligibleLine(7, 1).first, Eligibility::kNotPurchased);  // unpaid does not count
  Buy(7, 1);
  auto [eligible, line] = EligibleLine(7, 1);
  ASSERT_EQ(eligible, Eligibility::kEligible);
  reviews_->Create(7, 1, line, 4, "좋아요", "t");
  EXPECT_EQ(EligibleLine(7, 1).first, Eligibility::kAlreadyReviewed);
  EXPECT_THROW(reviews_->Create(7, 1, line, 5, "again", "t"), domain::Error);
  EXPECT_FALSE(orders_->MarkPaid(1, "KAKAOPAY", "T", "t") && false);
}

TEST_P(ReviewRepositoryTest, Statistics_StayExactThroughCreateEditAndDelete) {
  Buy(7, 1);
  Buy(8, 1);
  auto a = reviews_->Create(7, 1, EligibleLine(7, 1).second, 5, "a", "t");
  auto b = reviews_->Create(8, 1, EligibleLine(8, 1).second, 2, "b", "t");
  EXPECT_EQ(Item(1).review_count, 2);
  EXPECT_DOUBLE_EQ(Item(1).StarAvg(), 3.5);
  EXPECT_TRUE(reviews_->Update(b.id, 8, 4, std::nullopt, "t2"));
  EXPECT_DOUBLE_EQ(Item(1).StarAvg(), 4.5);
  EXPECT_FALSE(reviews_->Update(b.id, 7, 1, std::nullopt, "t2"));  // not the author
  EXPECT_TRUE(reviews_->SoftDelete(a.id, 7, "t3"));
  EXPECT_FALSE(reviews_->SoftDelete(a.id, 7, "t3"));
  EXPECT_EQ(Item(1).review_count, 1);
  EXPECT_EQ(Item(1).star_sum, 4);
  EXPECT_FALSE(reviews_->Find(a.id));
  auto page = reviews_->ListForItem(1, domain::ReviewSort::kNewest, {});
  EXPECT_EQ(page.total, 1);
  EXPECT_EQ(page.reviews[0].content, "b");
}

TEST_P(ReviewRepositoryTest, ConcurrentReviewsOfOneItem_KeepTheMeanExact) {
  constexpr int kUsers = 24;
  for (int u = 0; u < kUsers; ++u) Buy(100 + u, 4);
  std::vector<std::thread> threads;
  for (int u = 0; u < kUsers; ++u) {
    threads.emplace_back([&, u] {
      auto [e, line] = EligibleLine(100 + u, 4);
      reviews_->Create(100 + u, 4, line, u % 5 + 1, "review", "t");
    });
  }
  for (auto& t : threads) t.join();
  std::int64_t expected_sum = 0;
  for (int u = 0; u < kUsers; ++u) expected_sum += u % 5 + 1;
  auto item = Item(4);
  EXPECT_EQ(item.review_count, kUsers);
  EXPECT_EQ(item.star_sum, expected_sum);
  ASSERT_EQ(reviews_->ListForItem(4, domain::ReviewSort::kStarDesc, {1, 100}).reviews.front().star, 5);
  domain::ItemQuery q;
  q.sort = domain::ItemSort::kStar;
  EXPECT_EQ(items_->Search(q).items.front().id, 4);  // star_avg column kept in step
}

INSTANTIATE_TEST_SUITE_P(Engines, ReviewRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
