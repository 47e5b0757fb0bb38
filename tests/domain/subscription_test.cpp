#include "domain/subscription.hpp"
#include "domain/fulfilment.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

Date D(const char* text) { return *Date::Parse(text); }

Subscription Make(const char* last_paid, int period) {
  Subscription s;
  s.id = 7;
  s.period = period;
  s.last_paid_date = D(last_paid);
  s.next_payment_date = s.last_paid_date.AddDays(period);
  s.next_attempt_date = s.next_payment_date;
  return s;
}

// The rule a charge outcome carries as a value does what the named rule does.
TEST(ApplyRule_IsTheNamedRule, ForEachOutcome) {
  const Date due = D("2026-11-24");
  auto same = [](const Subscription& a, const Subscription& b) {
    return a.status == b.status && a.last_paid_date == b.last_paid_date && a.next_payment_date == b.next_payment_date &&
           a.next_attempt_date == b.next_attempt_date && a.cycle_attempts == b.cycle_attempts;
  };
  Subscription base = Make("2026-10-25", 30);
  base.status = SubscriptionStatus::kActive;
  Subscription by_rule = base, by_name = base;
  ApplyRule(by_rule, {ChargeResult::kPaid, due});
  ApplyPaid(by_name, due);
  EXPECT_TRUE(same(by_rule, by_name));
  by_rule = by_name = base;
  ApplyRule(by_rule, {ChargeResult::kSoftDeclined, due});
  ApplySoftDecline(by_name, due);
  EXPECT_TRUE(same(by_rule, by_name));
  by_rule = by_name = base;
  ApplyRule(by_rule, {ChargeResult::kHardDeclined, {}});
  ApplyHardDecline(by_name);
  EXPECT_TRUE(same(by_rule, by_name));
  by_rule = by_name = base;
  ApplyRule(by_rule, {ChargeResult::kOutOfStock, base.next_payment_date});
  ApplyOutOfStock(by_name, base.next_payment_date);
  EXPECT_TRUE(same(by_rule, by_name));
  by_rule = base;
  ApplyRule(by_rule, {ChargeResult::kUnknown, due});  // an open attempt moves nothing
  EXPECT_TRUE(same(by_rule, base));
}

// An outcome names the attempt it settles: a subscription that has left it (ended,
// paused, another cycle) is not moved by it.
TEST(ApplyRule_OfAnAttemptTheSubscriptionLeft, MovesNothing) {
  Subscription s = Make("2026-10-25", 30);
  const Date due = s.next_payment_date;
  Subscription cancelled = s;
  Cancel(cancelled, std::nullopt);
  Subscription after = cancelled;
  ApplyRule(after, {ChargeResult::kPaid, due, due, 1});
  EXPECT_EQ(after.status, SubscriptionStatus::kCancelled);
  EXPECT_EQ(after.next_payment_date, due);
  Subscription active = s;
  ApplyRule(active, {ChargeResult::kSoftDeclined, due, due, 2});  // not its attempt: it is on attempt 1
  EXPECT_EQ(active.cycle_attempts, 0);
  ApplyRule(active, {ChargeResult::kSoftDeclined, due, due, 1});
  EXPECT_EQ(active.status, SubscriptionStatus::kPastDue);
}

TEST(Date_ParsesOnlyRealDates, AndFormatsThemBack) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  EXPECT_FALSE(Date::Parse("2023-02-29"));
  EXPECT_FALSE(Date::Parse("2024-13-01"));
  EXPECT_FALSE(Date::Parse("2024-1-01"));
  EXPECT_FALSE(Date::Parse("abcd-ef-gh"));
  EXPECT_EQ(D("1970-01-01").DaysSinceEpoch(), 0);
  EXPECT_EQ(D("2000-03-01").Year(), 2000);
  EXPECT_EQ(D("2000-03-01").Month(), 3);
  EXPECT_EQ(D("2000-03-01").Day(), 1);
}

TEST(Date_Arithmetic, CrossesMonthEndsAndLeapYears) {
  EXPECT_EQ(D("2024-01-31").AddDays(30).ToString(), "2024-03-01");  // leap February
  EXPECT_EQ(D("2023-01-31").AddDays(30).ToString(), "2023-03-02");
  EXPECT_EQ(D("2024-12-31").AddDays(1).ToString(), "2025-01-01");
  EXPECT_EQ(D("2100-02-28").AddDays(1).ToString(), "2100-03-01");  // not a leap year
  EXPECT_EQ(D("2000-02-28").AddDays(1).ToString(), "2000-02-29");  // a leap year
  EXPECT_EQ(D("2024-03-01").DaysUntil(D("2024-02-28")), -2);
}

TEST(NextPaymentDate_IsLastPaidPlusPeriod, AfterEachPaidCycle) {
  auto s = Make("2026-01-31", 30);
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-03-02");
  ApplyPaid(s, D("2026-03-02"));
  EXPECT_EQ(s.last_paid_date.ToString(), "2026-03-02");
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-04-01");
  EXPECT_EQ(s.cycle_attempts, 0);
}

TEST(ChangePeriod_RecomputesFromLastPaid, ButNeverIntoThePast) {
  auto s = Make("2026-11-01", 30);
  ChangePeriod(s, 14, D("2026-11-10"));
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-11-15");
  ChangePeriod(s, 7, D("2026-11-10"));  // 11-08 has passed: tomorrow instead
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-11-11");
  EXPECT_THROW(ChangePeriod(s, 6, D("2026-11-10")), Error);
  EXPECT_THROW(ChangePeriod(s, 181, D("2026-11-10")), Error);
}

TEST(Skip_MovesOnePeriod, AndAPeriodChangeAfterASkipStartsFromLastPaid) {
  auto s = Make("2026-11-01", 30);
  Skip(s);
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-12-31");
  ChangePeriod(s, 45, D("2026-11-05"));
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-12-16");
}

TEST(PauseAcrossADueDate, RollsTheNextDateForwardOnResumeWithoutBackCharging) {
  auto s = Make("2026-11-01", 30);  // due 12-01
  Pause(s);
  EXPECT_EQ(s.status, SubscriptionStatus::kPaused);
  EXPECT_FALSE(IsChargeable(s.status));
  EXPECT_THROW(Pause(s), Error);
  Resume(s, D("2026-12-15"));
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-12-31");
  Pause(s);
  Resume(s, D("2026-12-20"));  // before the due date: unchanged
  EXPECT_EQ(s.next_payment_date.ToString(), "2026-12-31");
}

TEST(SoftDeclines_AreRetriedOneThreeAndFiveDaysAfterTheDueDate, ThenFail) {
  auto s = Make("2026-11-01", 30);
  Date due = s.next_payment_date;
  ApplySoftDecline(s, due);
  EXPECT_EQ(s.status, SubscriptionStatus::kPastDue);
  EXPECT_EQ(s.next_attempt_date, due.AddDays(1));
  ApplySoftDecline(s, due);
  EXPECT_EQ(s.next_attempt_date, due.AddDays(3));
  ApplySoftDecline(s, due);
  EXPECT_EQ(s.next_attempt_date, due.AddDays(5));
  EXPECT_EQ(s.next_payment_date, due);  // the cycle stays the same
  ApplySoftDecline(s, due);
  EXPECT_EQ(s.status, SubscriptionStatus::kPaymentFailed);
  EXPECT_TRUE(IsTerminal(s.status));
  EXPECT_THROW(Cancel(s), Error);
}

TEST(RetrySuccess_ReturnsToActive, FromThePaidDay) {
  auto s = Make("2026-11-01", 30);
  ApplySoftDecline(s, s.next_payment_date);
  ApplyPaid(s, D("2026-12-02"));
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_EQ(s.next_payment_date.ToString(), "2027-01-01");
}

TEST(HardDecline_FailsAtOnce, AndCancelIsTerminal) {
  auto s = Make("2026-11-01", 30);
  ApplyHardDecline(s);
  EXPECT_EQ(s.status, SubscriptionStatus::kPaymentFailed);
  auto t = Make("2026-11-01", 30);
  Pause(t);
  Cancel(t);
  EXPECT_EQ(t.status, SubscriptionStatus::kCancelled);
  EXPECT_THROW(Resume(t, D("2026-11-02")), Error);
  EXPECT_THROW(Skip(t), Error);
  EXPECT_THROW(ChangeQuantity(t, 2), Error);
}

TEST(PartnerOrderId_IsStablePerCycle, AndCodesRoundTrip) {
  EXPECT_EQ(CyclePartnerOrderId(42, D("2026-12-01")), "sub-42-2026-12-01");
  for (auto s : {SubscriptionStatus::kActive, SubscriptionStatus::kPaused, SubscriptionStatus::kPastDue,
                 SubscriptionStatus::kPaymentFailed, SubscriptionStatus::kCancelled})
    EXPECT_EQ(ParseSubscriptionStatus(CodeOf(s)), s);
  for (auto r : {ChargeResult::kPaid, ChargeResult::kSoftDeclined, ChargeResult::kHardDeclined, ChargeResult::kUnknown})
    EXPECT_EQ(ParseChargeResult(CodeOf(r)), r);
  EXPECT_FALSE(ParseSubscriptionStatus("active"));
}

// The attempt's result as its row stores it: each code, PENDING included, reads
// back as the result it was written from; the codes are the stored (and wire) text.
TEST(ChargeResultCodes, RoundTripThroughTheirColumnText) {
  for (auto r : {ChargeResult::kPending, ChargeResult::kPaid, ChargeResult::kSoftDeclined, ChargeResult::kHardDeclined,
                 ChargeResult::kUnknown, ChargeResult::kOutOfStock})
    EXPECT_EQ(ParseChargeResult(CodeOf(r)), r) << CodeOf(r);
  EXPECT_EQ(CodeOf(ChargeResult::kPending), "PENDING");
  EXPECT_EQ(CodeOf(ChargeResult::kSoftDeclined), "SOFT_DECLINED");
  EXPECT_FALSE(ParseChargeResult("paid"));
  EXPECT_FALSE(ParseChargeResult(""));
}

// A billing run's status as batch_runs stores it and the admin's list shows it.
TEST(BillingRunStatusCodes, RoundTripThroughTheirColumnText) {
  for (auto s : {BillingRunStatus::kRunning, BillingRunStatus::kCompleted, BillingRunStatus::kIncomplete,
                 BillingRunStatus::kInterrupted})
    EXPECT_EQ(ParseBillingRunStatus(CodeOf(s)), s) << CodeOf(s);
  EXPECT_EQ(CodeOf(BillingRunStatus::kIncomplete), "INCOMPLETE");
  EXPECT_FALSE(ParseBillingRunStatus("FAILED"));  // no run ends so; the stored text never says it
  EXPECT_FALSE(ParseBillingRunStatus("completed"));
}

TEST(ChargeResult_IsSettled, OnceTheGatewayAnsweredOrStockSkippedIt) {
  EXPECT_FALSE(IsSettled(ChargeResult::kPending));
  EXPECT_FALSE(IsSettled(ChargeResult::kUnknown));
  for (auto r :
       {ChargeResult::kPaid, ChargeResult::kSoftDeclined, ChargeResult::kHardDeclined, ChargeResult::kOutOfStock})
    EXPECT_TRUE(IsSettled(r)) << CodeOf(r);
}

TEST(CurrentAttempt, IsTheChargeableCyclesNextAttemptOnly) {
  auto s = Make("2026-01-01", 30);  // due 2026-01-31, attempt 1
  const Date due = s.next_payment_date;
  EXPECT_TRUE(IsCurrentAttempt(s, due, 1));
  EXPECT_FALSE(IsCurrentAttempt(s, due, 2));
  EXPECT_FALSE(IsCurrentAttempt(s, due.AddDays(30), 1));
  ApplySoftDecline(s, due);
  EXPECT_TRUE(IsCurrentAttempt(s, due, 2));  // PAST_DUE is still charged
  EXPECT_FALSE(IsCurrentAttempt(s, due, 1));
  Cancel(s, std::nullopt);
  EXPECT_FALSE(IsCurrentAttempt(s, due, 2));  // ended: its open attempt is only settled
}

TEST(OutOfStock_AtRenewal, IsRetriedOnTheSoftDeclineDaysThenSkipsTheCycleAndStaysActive) {
  auto s = Make("2026-01-01", 30);  // due 2026-01-31
  const Date due = s.next_payment_date;
  EXPECT_FALSE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_EQ(s.next_attempt_date, due.AddDays(1));
  EXPECT_FALSE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.next_attempt_date, due.AddDays(3));
  EXPECT_FALSE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.next_attempt_date, due.AddDays(5));
  EXPECT_EQ(s.next_payment_date, due);
  EXPECT_TRUE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  EXPECT_EQ(s.next_payment_date, due.AddDays(30));
  EXPECT_EQ(s.next_attempt_date, due.AddDays(30));
  EXPECT_EQ(s.cycle_attempts, 0);
  EXPECT_EQ(s.last_paid_date, D("2026-01-01"));  // not charged
}

TEST(OutOfStock_AfterASoftDecline, SkipsTheCycleInsteadOfFailingThePayment) {
  auto s = Make("2026-01-01", 30);
  const Date due = s.next_payment_date;
  ApplySoftDecline(s, due);
  EXPECT_EQ(s.status, SubscriptionStatus::kPastDue);
  ApplyOutOfStock(s, due);
  ApplyOutOfStock(s, due);
  EXPECT_EQ(s.status, SubscriptionStatus::kPastDue);
  EXPECT_TRUE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
}

TEST(OutOfStock_WhenTheSubscriptionMovedOnMeanwhile, ChangesNothing) {
  auto s = Make("2026-01-01", 30);
  const Date due = s.next_payment_date;
  Cancel(s);
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(ApplyOutOfStock(s, due));
  EXPECT_EQ(s.status, SubscriptionStatus::kCancelled);  // never revived by a skip
  auto other = Make("2026-01-01", 30);
  Skip(other);  // now in the next cycle
  EXPECT_FALSE(ApplyOutOfStock(other, due));
  EXPECT_EQ(other.cycle_attempts, 0);
}

TEST(DeliveryAddress_AndCancelReason, AreValidatedAndRefusedOnceEnded) {
  auto s = Make("2026-01-01", 30);
  Receiver good{"김", "010-1234-5678", "서울", "강남구 1"};
  ChangeDeliveryAddress(s, good);
  EXPECT_EQ(s.delivery_address.city, "서울");
  EXPECT_THROW(ChangeDeliveryAddress(s, Receiver{"김", "123", "서울", "1"}), Error);
  EXPECT_EQ(s.delivery_address.phone, "010-1234-5678");
  EXPECT_THROW(Cancel(s, std::string(501, 'x')), Error);
  EXPECT_EQ(s.status, SubscriptionStatus::kActive);
  Cancel(s, std::string("  "));
  EXPECT_FALSE(s.cancel_reason);  // blank keeps none
  EXPECT_THROW(ChangeDeliveryAddress(s, good), Error);
}

TEST(Fulfilment_Rules, ShipOnlyPaidDeliverOnlyShippedCustomerCancelOnlyBeforeShipping) {
  Order o;
  o.status = OrderStatus::kPaid;
  EXPECT_NO_THROW(CheckShippable(o));
  EXPECT_NO_THROW(CheckCustomerCancellable(o));
  EXPECT_THROW(CheckDeliverable(o), Error);
  o.status = OrderStatus::kShipped;
  EXPECT_THROW(CheckShippable(o), Error);
  EXPECT_NO_THROW(CheckDeliverable(o));
  try {
    CheckCustomerCancellable(o);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "ORDER_ALREADY_SHIPPED");
  }
  o.status = OrderStatus::kRefunded;
  EXPECT_THROW(CheckCustomerCancellable(o), Error);
  Validator v;
  ValidateShipRequest({"CJ대한통운", "6012-3456"}, v);
  EXPECT_TRUE(v.Ok());
  ValidateShipRequest({"", "a b"}, v);
  EXPECT_EQ(v.Errors().size(), 2u);
}

}  // namespace
}  // namespace pillivery::domain
