// The billing side of SubscriptionRepository: the batch's page query, the one
// read a charge starts with, the claim, and the fenced outcome. Both engines.
#include "storage/subscription_repository.hpp"

#include "domain/error.hpp"
#include "service/ordering/checkout.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/order_repository.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::storage {
namespace {

using domain::Date;
using domain::SubscriptionStatus;

const Date kToday = *Date::Parse("2026-11-24");

class SubscriptionRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(testing::FreshDatabaseUrl(GetParam(), dir_), 4);
    Migrate(*db_, testing::RealClock());
    items_ = std::make_unique<ItemRepository>(*db_, testing::RealClock());
    items_->InsertMany(testing::SampleCatalog());  // item 1: 30,000 at 10% off = 27,000; stock 10
    orders_ = std::make_unique<OrderRepository>(*db_);
    checkout_ = std::make_unique<service::Checkout>(*db_, *orders_);
    subs_ = std::make_unique<SubscriptionRepository>(*db_);
  }

  // A paid subscription order of `quantity` × item, due on `due`; returns the subscription id.
  std::int64_t Subscribe(std::int64_t item, int quantity, Date due, std::int64_t user = 7) {
    domain::CheckoutRequest o;
    o.user_id = user;
    o.type = domain::OrderType::kSubscription;
    o.lines = {{item, quantity, 30}};
    o.receiver = {"홍길동", "010-1234-5678", "서울", "강남구 1"};
    o.now_ms = 1'000;
    o.expires_at_ms = 1'000 + 30 * 60 * 1000;
    o.now_iso = "2026-10-25T10:00:00.000+09:00";
    auto order = checkout_->Place(o);
    EXPECT_TRUE(orders_->MarkPaid(order.id, "KAKAOPAY", "T-source", o.now_iso));
    order = *orders_->Find(order.id);
    {
      auto lease = db_->Acquire();
      // The customer exists and has not withdrawn: a claim checks that.
      long long uid = user, exists = 0;
      *lease << "SELECT COUNT(*) FROM users WHERE id = :u", soci::use(uid), soci::into(exists);
      if (exists == 0) {
        std::string name = "user" + std::to_string(user);
        *lease << "INSERT INTO users(id, display_name, created_at, updated_at) VALUES(:u, :n, 'now', 'now')",
            soci::use(uid), soci::use(name);
      }
    }
    UnitOfWork work(*db_);
    auto ids = subs_->CreateForOrder(work, order, "S-" + std::to_string(order.id), "TCSUBSCRIP", "user",
                                     due.AddDays(-30), o.now_iso);
    work.Commit();
    return ids.at(0);
  }

  std::int64_t Scalar(const std::string& sql) {
    auto lease = db_->Acquire();
    long long value = 0;
    *lease << sql, soci::into(value);
    return value;
  }
  void Exec(const std::string& sql) {
    auto lease = db_->Acquire();
    *lease << sql;
  }

  Charge NewClaim(const domain::Subscription& sub, Date due, int attempt = 1) {
    Charge c;
    c.subscription_id = sub.id;
    c.due_date = due;
    c.attempt = attempt;
    c.partner_order_id = domain::CyclePartnerOrderId(sub.id, due);
    c.amount = 27'000 * sub.quantity;
    c.claimed_at_ms = 5'000;
    c.at = "2026-11-24T09:00:00.000+09:00";
    return c;
  }

  // The renewal order of a PAID charge of `sub`, at the given unit prices.
  Renewal RenewalOf(const domain::Subscription& sub, const Charge& c, std::int64_t origin, std::int64_t real) const {
    Renewal renewal;
    renewal.user_id = sub.user_id;
    renewal.receiver = {"홍길동", "010-1234-5678", "서울", "강남구 1"};
    renewal.line.item_id = sub.item_id;
    renewal.line.product_name = sub.product_name;
    renewal.line.quantity = sub.quantity;
    renewal.line.period = sub.period;
    renewal.line.unit_origin_price = origin;
    renewal.line.unit_real_price = real;
    renewal.subscription_id = sub.id;
    renewal.tid = c.tid;
    renewal.at = c.at;
    renewal.at_ms = 9'000;
    return renewal;
  }

  // What BillingService does for a PAID outcome, minus the events.
  OutcomeRow Paid(Charge& c, const domain::Subscription& sub) {
    OutcomeRow row;
    row.outcome = &c;
    row.seen = sub;
    row.renewal = RenewalOf(sub, c, 30'000, 27'000);
    row.rule = {domain::ChargeResult::kPaid, kToday};
    return row;
  }

  // An owner's edit as SubscriptionService makes it: read under lock, changed, saved, committed.
  void Mutate(std::int64_t id, const std::function<void(domain::Subscription&)>& change) {
    UnitOfWork work(*db_);
    auto sub = subs_->FindForUpdate(work, id);
    ASSERT_TRUE(sub);
    change(*sub);
    subs_->Save(work, *sub, "2026-01-01T00:00:00Z");
    work.Commit();
  }

  // An outcome recorded as the billing service records it: in its unit of
  // work, then `also` (where the service appends its events, with the
  // subscription as saved), then the commit; nothing is kept when it is refused.
  bool Record(OutcomeRow& row, const std::function<void(const domain::Subscription&)>& also = {}) {
    UnitOfWork work(*db_);
    if (!subs_->RecordOutcome(work, row)) return false;
    if (also) also(row.next);
    work.Commit();
    return true;
  }
  bool RecordGroup(std::span<OutcomeRow> rows, const std::function<void(std::span<const OutcomeRow>)>& also) {
    UnitOfWork work(*db_);
    if (!subs_->RecordOutcomes(work, rows)) return false;
    also(rows);
    work.Commit();
    return true;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ItemRepository> items_;
  std::unique_ptr<OrderRepository> orders_;
  std::unique_ptr<service::Checkout> checkout_;
  std::unique_ptr<SubscriptionRepository> subs_;
};

TEST_P(SubscriptionRepositoryTest, DueCycles_PagesByIdWithEachCycleAndSkipsWhatIsNotChargeable) {
  auto a = Subscribe(1, 1, kToday);
  auto b = Subscribe(3, 1, kToday.AddDays(-2));
  auto later = Subscribe(4, 1, kToday.AddDays(1));
  auto paused = Subscribe(6, 1, kToday);
  auto c = Subscribe(7, 1, kToday);
  Mutate(paused, [](domain::Subscription& s) { domain::Pause(s); });
  Exec("UPDATE subscriptions SET cycle_attempts = 2, status = 'PAST_DUE' WHERE id = " + std::to_string(c));

  auto first = subs_->DueCycles(kToday, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].subscription_id, a);
  EXPECT_EQ(first[0].next_payment_date, kToday);
  EXPECT_EQ(first[0].cycle_attempts, 0);
  EXPECT_EQ(first[1].subscription_id, b);
  EXPECT_EQ(first[1].next_payment_date, kToday.AddDays(-2));
  auto second = subs_->DueCycles(kToday, first.back().subscription_id, 2);
  ASSERT_EQ(second.size(), 1u);  // not `later` (not due yet) nor `paused`
  EXPECT_EQ(second[0].subscription_id, c);
  EXPECT_EQ(second[0].cycle_attempts, 2);
  EXPECT_TRUE(subs_->DueCycles(kToday, c, 2).empty());
  EXPECT_EQ(subs_->DueCycles(kToday.AddDays(1), 0, 10).size(), 4u);
  (void)later;
}

TEST_P(SubscriptionRepositoryTest, FindForCharge_ReadsTheSubscriptionItsItemAndThisAttemptsRow) {
  auto id = Subscribe(1, 2, kToday);
  auto context = subs_->FindForCharge(id, kToday, 1);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->subscription.id, id);
  EXPECT_EQ(context->subscription.quantity, 2);
  EXPECT_EQ(context->subscription.next_payment_date, kToday);
  EXPECT_EQ(context->subscription.upcoming_amount, 2 * 27'000);
  EXPECT_EQ(context->item_price.origin, 30'000);
  EXPECT_EQ(context->item_price.Real(), 27'000);
  EXPECT_EQ(context->item_thumbnail_url, "https://img.example/1.jpg");
  EXPECT_FALSE(context->charge);

  auto claim = NewClaim(context->subscription, kToday);
  ASSERT_EQ(subs_->InsertClaim(claim, 1, 2), SubscriptionRepository::ClaimResult::kClaimed);
  auto claimed = subs_->FindForCharge(id, kToday, 1);
  ASSERT_TRUE(claimed && claimed->charge);
  EXPECT_EQ(claimed->charge->id, claim.id);
  EXPECT_EQ(claimed->charge->result, domain::ChargeResult::kPending);
  EXPECT_EQ(claimed->charge->amount, 54'000);
  EXPECT_EQ(claimed->charge->partner_order_id, claim.partner_order_id);
  EXPECT_FALSE(claimed->charge->renewal_order_id);
  EXPECT_FALSE(subs_->FindForCharge(id, kToday, 2)->charge);              // another attempt
  EXPECT_FALSE(subs_->FindForCharge(id, kToday.AddDays(30), 1)->charge);  // another cycle
  EXPECT_FALSE(subs_->FindForCharge(id + 100, kToday, 1));
}

TEST_P(SubscriptionRepositoryTest, InsertClaim_SetsTheIdReservesStockAndLetsOneClaimWin) {
  auto id = Subscribe(1, 2, kToday);  // the order took 2 of 10
  auto sub = *subs_->Find(id);
  auto claim = NewClaim(sub, kToday);
  ASSERT_EQ(subs_->InsertClaim(claim, 1, 2), SubscriptionRepository::ClaimResult::kClaimed);
  EXPECT_GT(claim.id, 0);
  EXPECT_EQ(claim.result, domain::ChargeResult::kPending);
  EXPECT_EQ(subs_->FindCharge(id, kToday, 1)->id, claim.id);
  EXPECT_EQ(items_->FindById(1, true)->stock, 6);
  auto again = NewClaim(sub, kToday);
  EXPECT_EQ(subs_->InsertClaim(again, 1, 2), SubscriptionRepository::ClaimResult::kTaken);
  EXPECT_EQ(again.id, 0);
  EXPECT_EQ(items_->FindById(1, true)->stock, 6);

  auto next = NewClaim(sub, kToday, 2);
  EXPECT_EQ(subs_->InsertClaim(next, 1, 7), SubscriptionRepository::ClaimResult::kOutOfStock);
  EXPECT_FALSE(subs_->FindCharge(id, kToday, 2));  // rolled back with the stock
  EXPECT_EQ(items_->FindById(1, true)->stock, 6);
}

TEST_P(SubscriptionRepositoryTest, RecordOutcome_WritesTheRenewalAndTheResultOnceAndMovesTheSubscriptionOn) {
  auto id = Subscribe(1, 1, kToday);
  auto context = *subs_->FindForCharge(id, kToday, 1);
  auto claim = NewClaim(context.subscription, kToday);
  ASSERT_EQ(subs_->InsertClaim(claim, 1, 1), SubscriptionRepository::ClaimResult::kClaimed);
  claim.result = domain::ChargeResult::kPaid;
  claim.tid = "T-renewal";
  int also_calls = 0;
  auto row = Paid(claim, context.subscription);
  ASSERT_TRUE(Record(row, [&](const domain::Subscription& saved) {
    ++also_calls;
    EXPECT_EQ(saved.next_payment_date, kToday.AddDays(30));
  }));
  EXPECT_EQ(also_calls, 1);
  ASSERT_TRUE(claim.renewal_order_id);
  auto stored = *subs_->FindCharge(id, kToday, 1);
  EXPECT_EQ(stored.result, domain::ChargeResult::kPaid);
  EXPECT_EQ(stored.tid, "T-renewal");
  EXPECT_EQ(stored.renewal_order_id, claim.renewal_order_id);
  auto renewal = orders_->Find(*claim.renewal_order_id);
  ASSERT_TRUE(renewal);
  EXPECT_EQ(renewal->status, domain::OrderStatus::kPaid);
  EXPECT_EQ(renewal->receiver.name, "홍길동");
  auto sub = *subs_->Find(id);
  EXPECT_EQ(sub.status, SubscriptionStatus::kActive);
  EXPECT_EQ(sub.last_paid_date, kToday);
  EXPECT_EQ(sub.next_payment_date, kToday.AddDays(30));
  EXPECT_EQ(sub.cycle_attempts, 0);

  // A second worker with the same attempt: nothing written, not even its renewal order.
  auto orders_before = Scalar("SELECT COUNT(*) FROM orders");
  auto late = claim;
  late.renewal_order_id.reset();
  auto late_row = Paid(late, context.subscription);
  EXPECT_FALSE(Record(late_row, [&](const domain::Subscription&) { ++also_calls; }));
  EXPECT_FALSE(late.renewal_order_id);
  EXPECT_EQ(also_calls, 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM orders"), orders_before);
  EXPECT_EQ(subs_->Find(id)->next_payment_date, kToday.AddDays(30));
  EXPECT_FALSE(subs_->RecordUnknown(late));  // a finished attempt stays finished
  EXPECT_EQ(subs_->FindCharge(id, kToday, 1)->result, domain::ChargeResult::kPaid);
  // The account's kept count took the renewal once, not the late worker's rolled-back one.
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 2);
  EXPECT_EQ(Scalar("SELECT orders FROM user_order_counts WHERE user_id = 7"),
            Scalar("SELECT COUNT(*) FROM orders WHERE user_id = 7"));
}

TEST_P(SubscriptionRepositoryTest, RecordOutcome_WhenTheSubscriptionChangedMeanwhile_AppliesTheRuleToTheCurrentRow) {
  auto id = Subscribe(1, 1, kToday);
  auto context = *subs_->FindForCharge(id, kToday, 1);
  auto claim = NewClaim(context.subscription, kToday);
  ASSERT_EQ(subs_->InsertClaim(claim, 1, 1), SubscriptionRepository::ClaimResult::kClaimed);
  // The customer changes the quantity while the gateway is being called.
  Mutate(id, [](domain::Subscription& s) { domain::ChangeQuantity(s, 3); });
  claim.result = domain::ChargeResult::kSoftDeclined;
  claim.decline_code = "-782";
  OutcomeRow row;
  row.outcome = &claim;
  row.seen = context.subscription;
  row.rule = {domain::ChargeResult::kSoftDeclined, kToday};
  int seen_quantity = 0;
  ASSERT_TRUE(Record(row, [&](const domain::Subscription& saved) { seen_quantity = saved.quantity; }));
  EXPECT_EQ(seen_quantity, 3);  // the row as it is, not as it was read
  auto sub = *subs_->Find(id);
  EXPECT_EQ(sub.quantity, 3);
  EXPECT_EQ(sub.status, SubscriptionStatus::kPastDue);
  EXPECT_EQ(sub.cycle_attempts, 1);
  EXPECT_EQ(sub.next_attempt_date, kToday.AddDays(1));
  auto stored = *subs_->FindCharge(id, kToday, 1);
  EXPECT_EQ(stored.result, domain::ChargeResult::kSoftDeclined);
  EXPECT_EQ(stored.decline_code, "-782");
  EXPECT_FALSE(stored.renewal_order_id);
}

TEST_P(SubscriptionRepositoryTest, RecordUnknown_KeepsTheAttemptOpenForTheNextSend) {
  auto id = Subscribe(1, 1, kToday);
  auto sub = *subs_->Find(id);
  auto claim = NewClaim(sub, kToday);
  ASSERT_EQ(subs_->InsertClaim(claim, 1, 1), SubscriptionRepository::ClaimResult::kClaimed);
  claim.at = "2026-11-24T09:00:01.000+09:00";
  EXPECT_TRUE(subs_->RecordUnknown(claim));
  EXPECT_EQ(subs_->FindCharge(id, kToday, 1)->result, domain::ChargeResult::kUnknown);
  EXPECT_EQ(items_->FindById(1, true)->stock, 8);  // the stock stays reserved
  EXPECT_EQ(subs_->Find(id)->cycle_attempts, 0);
  EXPECT_TRUE(subs_->TakeOverClaim(claim.id, 0, 6'000));  // the next send may take it
  EXPECT_EQ(subs_->FindCharge(id, kToday, 1)->result, domain::ChargeResult::kPending);
}

// The grouped forms (group commit of concurrent charges): the same rows as the
// one-charge forms, all or nothing.

TEST_P(SubscriptionRepositoryTest, FindForCharges_ReadsEachKeysContextInTheKeysOrder) {
  auto a = Subscribe(4, 2, kToday);
  auto b = Subscribe(6, 1, kToday.AddDays(-1));
  auto claim = NewClaim(*subs_->Find(b), kToday.AddDays(-1));
  ASSERT_EQ(subs_->InsertClaim(claim, 6, 1), SubscriptionRepository::ClaimResult::kClaimed);
  std::vector<ChargeKey> keys{
      {b, kToday.AddDays(-1), 1}, {a + b + 100, kToday, 1}, {a, kToday, 1}, {b, kToday.AddDays(-1), 2}};
  auto contexts = subs_->FindForCharges(keys);
  ASSERT_EQ(contexts.size(), 4u);
  ASSERT_TRUE(contexts[0] && contexts[0]->charge);
  EXPECT_EQ(contexts[0]->subscription.id, b);
  EXPECT_EQ(contexts[0]->charge->id, claim.id);
  EXPECT_FALSE(contexts[1]);  // no such subscription
  ASSERT_TRUE(contexts[2]);
  EXPECT_EQ(contexts[2]->subscription.id, a);
  EXPECT_EQ(contexts[2]->subscription.quantity, 2);
  EXPECT_EQ(contexts[2]->item_price.Real(), 20'000);
  EXPECT_EQ(contexts[2]->receiver.name, "홍길동");
  EXPECT_EQ(contexts[2]->receiver.detail_address, "강남구 1");
  EXPECT_FALSE(contexts[2]->charge);
  ASSERT_TRUE(contexts[3]);
  EXPECT_FALSE(contexts[3]->charge);  // another attempt of b's cycle
}

TEST_P(SubscriptionRepositoryTest, InsertClaims_ClaimsEveryAttemptAndReservesTheirStockOrNothing) {
  auto a = *subs_->Find(Subscribe(4, 2, kToday));  // item 4: 100 in stock, 98 after the order
  auto b = *subs_->Find(Subscribe(4, 3, kToday));  // 95
  auto c = *subs_->Find(Subscribe(6, 1, kToday));  // item 6: 49
  auto ca = NewClaim(a, kToday), cb = NewClaim(b, kToday), cc = NewClaim(c, kToday);
  std::vector<ClaimRow> group{{&ca, 4, 2}, {&cb, 4, 3}, {&cc, 6, 1}};
  ASSERT_TRUE(subs_->InsertClaims(group));
  EXPECT_EQ(items_->FindById(4, true)->stock, 90);
  EXPECT_EQ(items_->FindById(6, true)->stock, 48);
  for (const auto* claim : {&ca, &cb, &cc}) {
    EXPECT_EQ(claim->result, domain::ChargeResult::kPending);
    auto stored = subs_->FindCharge(claim->subscription_id, kToday, 1);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->id, claim->id);
    EXPECT_EQ(stored->partner_order_id, claim->partner_order_id);
  }

  // One attempt claimed already: nothing of the group is written.
  auto d = *subs_->Find(Subscribe(6, 1, kToday));  // 47
  auto cd = NewClaim(d, kToday), again = NewClaim(a, kToday);
  std::vector<ClaimRow> taken{{&cd, 6, 1}, {&again, 4, 2}};
  EXPECT_FALSE(subs_->InsertClaims(taken));
  EXPECT_FALSE(subs_->FindCharge(d.id, kToday, 1));
  EXPECT_EQ(items_->FindById(6, true)->stock, 47);
  EXPECT_EQ(items_->FindById(4, true)->stock, 90);
  // An item short of stock: nothing either.
  auto second = NewClaim(a, kToday, 2);
  std::vector<ClaimRow> short_of_stock{{&cd, 6, 1}, {&second, 4, 91}};
  EXPECT_FALSE(subs_->InsertClaims(short_of_stock));
  EXPECT_FALSE(subs_->FindCharge(d.id, kToday, 1));
  EXPECT_FALSE(subs_->FindCharge(a.id, kToday, 2));
  EXPECT_EQ(items_->FindById(6, true)->stock, 47);
}

TEST_P(SubscriptionRepositoryTest, RecordOutcomes_WritesRenewalsResultsStatesAndStockLikeTheOneChargeForm) {
  auto a = *subs_->Find(Subscribe(4, 2, kToday));
  auto b = *subs_->Find(Subscribe(6, 1, kToday));
  auto ca = NewClaim(a, kToday), cb = NewClaim(b, kToday);
  std::vector<ClaimRow> claims{{&ca, 4, 2}, {&cb, 6, 1}};
  ASSERT_TRUE(subs_->InsertClaims(claims));
  const auto stock6 = items_->FindById(6, true)->stock;

  ca.result = domain::ChargeResult::kPaid;
  ca.tid = "T-a";
  cb.result = domain::ChargeResult::kSoftDeclined;
  cb.decline_code = "-782";
  std::vector<OutcomeRow> rows(2);
  rows[0].outcome = &ca;
  rows[0].seen = a;
  rows[0].next = a;
  domain::ApplyPaid(rows[0].next, kToday);
  rows[0].rule = {domain::ChargeResult::kPaid, kToday};
  Renewal renewal = RenewalOf(a, ca, 40'000, 20'000);
  renewal.line.thumbnail_url = "https://img.example/1.jpg";
  rows[0].renewal = renewal;
  rows[1].outcome = &cb;
  rows[1].seen = b;
  rows[1].next = b;
  domain::ApplySoftDecline(rows[1].next, kToday);
  rows[1].rule = {domain::ChargeResult::kSoftDeclined, kToday};
  rows[1].stock_back = 1;
  int also_rows = 0;
  ASSERT_TRUE(
      RecordGroup(rows, [&](std::span<const OutcomeRow> saved) { also_rows = static_cast<int>(saved.size()); }));
  EXPECT_EQ(also_rows, 2);

  ASSERT_TRUE(ca.renewal_order_id);
  EXPECT_FALSE(cb.renewal_order_id);
  auto stored_a = *subs_->FindCharge(a.id, kToday, 1);
  EXPECT_EQ(stored_a.result, domain::ChargeResult::kPaid);
  EXPECT_EQ(stored_a.tid, "T-a");
  EXPECT_EQ(stored_a.renewal_order_id, ca.renewal_order_id);
  auto stored_b = *subs_->FindCharge(b.id, kToday, 1);
  EXPECT_EQ(stored_b.result, domain::ChargeResult::kSoftDeclined);
  EXPECT_EQ(stored_b.decline_code, "-782");
  EXPECT_FALSE(stored_b.tid);
  EXPECT_FALSE(stored_b.renewal_order_id);
  auto order = *orders_->Find(*ca.renewal_order_id);
  EXPECT_EQ(order.status, domain::OrderStatus::kPaid);
  EXPECT_EQ(order.type, domain::OrderType::kSubscription);
  EXPECT_EQ(order.receiver.name, "홍길동");
  EXPECT_EQ(order.totals.total_price, 40'000);
  EXPECT_EQ(order.totals.total_discount_price, 40'000);
  ASSERT_EQ(order.lines.size(), 1u);
  EXPECT_EQ(order.lines[0].quantity, 2);
  EXPECT_EQ(order.lines[0].period, 30);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM order_status_history WHERE order_id = " + std::to_string(order.id)), 1);
  auto sub_a = *subs_->Find(a.id), sub_b = *subs_->Find(b.id);
  EXPECT_EQ(sub_a.next_payment_date, kToday.AddDays(30));
  EXPECT_EQ(sub_a.last_paid_date, kToday);
  EXPECT_EQ(sub_b.status, SubscriptionStatus::kPastDue);
  EXPECT_EQ(sub_b.cycle_attempts, 1);
  EXPECT_EQ(items_->FindById(6, true)->stock, stock6 + 1);
  EXPECT_EQ(orders_->List(7, std::nullopt, {}).total, 3);  // two source orders and a renewal
  EXPECT_EQ(Scalar("SELECT orders FROM user_order_counts WHERE user_id = 7"),
            Scalar("SELECT COUNT(*) FROM orders WHERE user_id = 7"));
}

TEST_P(SubscriptionRepositoryTest, RecordOutcomes_WritesNothingWhenAnAttemptWasClosedOrASubscriptionChanged) {
  auto a = *subs_->Find(Subscribe(4, 1, kToday));
  auto b = *subs_->Find(Subscribe(6, 1, kToday));
  auto ca = NewClaim(a, kToday), cb = NewClaim(b, kToday);
  std::vector<ClaimRow> claims{{&ca, 4, 1}, {&cb, 6, 1}};
  ASSERT_TRUE(subs_->InsertClaims(claims));
  auto paid_rows = [&] {
    std::vector<OutcomeRow> rows(2);
    for (auto [row, claim, sub] : {std::tuple{0, &ca, &a}, std::tuple{1, &cb, &b}}) {
      claim->result = domain::ChargeResult::kPaid;
      rows[row].outcome = claim;
      rows[row].seen = *sub;
      rows[row].next = *sub;
      domain::ApplyPaid(rows[row].next, kToday);
      rows[row].rule = {domain::ChargeResult::kPaid, kToday};
      rows[row].renewal = RenewalOf(*sub, *claim, 30'000, 27'000);
    }
    return rows;
  };
  const auto orders_before = Scalar("SELECT COUNT(*) FROM orders");
  bool also_ran = false;
  auto also = [&](std::span<const OutcomeRow>) { also_ran = true; };

  Mutate(b.id, [](domain::Subscription& s) { domain::ChangeQuantity(s, 3); });  // b changed since read
  auto rows = paid_rows();
  EXPECT_FALSE(RecordGroup(rows, also));
  EXPECT_FALSE(ca.renewal_order_id);
  EXPECT_FALSE(cb.renewal_order_id);
  EXPECT_EQ(subs_->FindCharge(a.id, kToday, 1)->result, domain::ChargeResult::kPending);
  EXPECT_EQ(subs_->Find(a.id)->next_payment_date, kToday);

  b = *subs_->Find(b.id);
  Exec("UPDATE subscription_charges SET result = 'PAID' WHERE id = " +
       std::to_string(ca.id));  // a closed by another worker
  rows = paid_rows();
  EXPECT_FALSE(RecordGroup(rows, also));
  EXPECT_EQ(subs_->FindCharge(b.id, kToday, 1)->result, domain::ChargeResult::kPending);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM orders"), orders_before);
  EXPECT_FALSE(also_ran);
}

INSTANTIATE_TEST_SUITE_P(Engines, SubscriptionRepositoryTest, ::testing::ValuesIn(testing::Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::storage
