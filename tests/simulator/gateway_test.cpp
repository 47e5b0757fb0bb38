// The KakaoPay rules of the simulator, without HTTP.
#include "infra/clock.hpp"
#include "simulator/simulated_gateway.hpp"
#include "simulator/store.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace pillivery::simulator {
namespace {

using namespace std::chrono_literals;

ReadyRequest MakeReady(std::string cid = "TC0ONETIME", std::string order = "order-1", std::string user = "user-1",
                       std::int64_t total = 33000, std::int64_t tax_free = 0) {
  ReadyRequest r;
  r.cid = std::move(cid);
  r.partner_order_id = std::move(order);
  r.partner_user_id = std::move(user);
  r.item_name = "Omega-3";
  r.quantity = 1;
  r.total_amount = total;
  r.tax_free_amount = tax_free;
  r.approval_url = "http://shop.test/approve?orderId=7";
  r.cancel_url = "http://shop.test/cancel";
  r.fail_url = "http://shop.test/fail";
  return r;
}

std::string PgTokenOf(const std::string& location) {
  auto at = location.find("pg_token=");
  return at == std::string::npos ? "" : location.substr(at + 9);
}

SubscriptionRequest MakeCharge(std::string sid, std::string order, std::string user = "user-1",
                               std::int64_t total = 33000) {
  SubscriptionRequest r;
  r.cid = "TCSUBSCRIP";
  r.sid = std::move(sid);
  r.partner_order_id = std::move(order);
  r.partner_user_id = std::move(user);
  r.item_name = "Omega-3";
  r.quantity = 1;
  r.total_amount = total;
  r.tax_free_amount = 0;
  return r;
}

// Expects fn to throw a GatewayError with the given KakaoPay code.
template <typename Fn>
void ExpectCode(int code, Fn&& fn) {
  try {
    fn();
    ADD_FAILURE() << "expected error " << code << " but the call succeeded";
  } catch (const GatewayError& e) {
    EXPECT_EQ(e.Code(), code) << e.what();
  }
}

class GatewayTest : public ::testing::Test {
 protected:
  // ready → approval page → approve, as a browser and a shop server would do it.
  PaymentOutcome Pay(const ReadyRequest& ready) {
    Payment payment = gateway_.Ready(ready);
    std::string location = gateway_.Authenticate(payment.tid, PageAction::kApprove);
    return gateway_.Approve(ApproveFor(payment, PgTokenOf(location)));
  }
  static ApproveRequest ApproveFor(const Payment& payment, std::string pg_token) {
    ApproveRequest a;
    a.cid = payment.cid;
    a.tid = payment.tid;
    a.partner_order_id = payment.partner_order_id;
    a.partner_user_id = payment.partner_user_id;
    a.pg_token = std::move(pg_token);
    return a;
  }
  std::string IssueSid(std::string user = "user-1") {
    return Pay(MakeReady("TCSUBSCRIP", "first-" + user, user)).payment.sid;
  }

  infra::ManualClock clock_;
  Gateway gateway_{clock_, GatewayOptions{}};
};

TEST_F(GatewayTest, Approve_OneTimeFlow_AnswersAidAndAmountWithoutSid) {
  Payment ready = gateway_.Ready(MakeReady());
  EXPECT_TRUE(std::regex_match(ready.tid, std::regex("T[0-9]{19}")));
  EXPECT_EQ(ready.status, "READY");
  EXPECT_EQ(ready.amount.vat, 3000);  // one eleventh of the taxable amount

  std::string location = gateway_.Authenticate(ready.tid, PageAction::kApprove);
  EXPECT_TRUE(location.starts_with("http://shop.test/approve?orderId=7&pg_token=")) << location;

  PaymentOutcome outcome = gateway_.Approve(ApproveFor(ready, PgTokenOf(location)));
  EXPECT_TRUE(std::regex_match(outcome.action.aid, std::regex("A[0-9]{19}")));
  EXPECT_EQ(outcome.payment.status, "SUCCESS_PAYMENT");
  EXPECT_EQ(outcome.payment.amount.total, 33000);
  EXPECT_TRUE(outcome.payment.sid.empty());
  EXPECT_TRUE(outcome.payment.approved_at.has_value());
}

TEST_F(GatewayTest, Approve_RecurringCid_IssuesActiveSid) {
  PaymentOutcome outcome = Pay(MakeReady("TCSUBSCRIP"));
  EXPECT_TRUE(std::regex_match(outcome.payment.sid, std::regex("S[0-9]{19}")));
  Sid sid = gateway_.SidStatus("TCSUBSCRIP", outcome.payment.sid);
  EXPECT_EQ(sid.status, "ACTIVE");
  EXPECT_EQ(sid.partner_user_id, "user-1");
}

TEST_F(GatewayTest, Ready_WhenRequiredFieldMissing_Answers2) {
  ReadyRequest r = MakeReady();
  r.total_amount.reset();
  ExpectCode(codes::kInvalidParameter, [&] { gateway_.Ready(r); });
  r = MakeReady();
  r.approval_url.clear();
  ExpectCode(codes::kInvalidParameter, [&] { gateway_.Ready(r); });
}

TEST_F(GatewayTest, Ready_WhenCidUnknown_Answers731) {
  ExpectCode(codes::kBadCid, [&] { gateway_.Ready(MakeReady("CAFEBABE00")); });
}

TEST_F(GatewayTest, Ready_WhenConfiguredCid_Accepts) {
  GatewayOptions options;
  options.one_time_cids = {"MYSHOP0001"};
  Gateway gateway(clock_, options);
  EXPECT_NO_THROW(gateway.Ready(MakeReady("MYSHOP0001")));
  ExpectCode(codes::kBadCid, [&] { gateway.Ready(MakeReady("TC0ONETIME")); });
}

TEST_F(GatewayTest, Ready_WhenAmountsInvalid_Answers704) {
  ExpectCode(codes::kBadAmount, [&] { gateway_.Ready(MakeReady("TC0ONETIME", "o", "u", -1, 0)); });
  ExpectCode(codes::kBadAmount, [&] { gateway_.Ready(MakeReady("TC0ONETIME", "o", "u", 100, 101)); });
  EXPECT_NO_THROW(gateway_.Ready(MakeReady("TC0ONETIME", "o", "u", 100, 100)));
}

TEST_F(GatewayTest, Approve_BeforeAuthentication_Answers701) {
  Payment ready = gateway_.Ready(MakeReady());
  ExpectCode(codes::kNotAuthenticated, [&] { gateway_.Approve(ApproveFor(ready, "whatever")); });
}

TEST_F(GatewayTest, Approve_WhenApprovedTwice_Answers702) {
  Payment ready = gateway_.Ready(MakeReady());
  std::string token = PgTokenOf(gateway_.Authenticate(ready.tid, PageAction::kApprove));
  gateway_.Approve(ApproveFor(ready, token));
  ExpectCode(codes::kAlreadyApproved, [&] { gateway_.Approve(ApproveFor(ready, token)); });
}

TEST_F(GatewayTest, Approve_WhenPartnerIdsDiffer_Answers706And707) {
  Payment ready = gateway_.Ready(MakeReady());
  std::string token = PgTokenOf(gateway_.Authenticate(ready.tid, PageAction::kApprove));
  ApproveRequest a = ApproveFor(ready, token);
  a.partner_order_id = "other-order";
  ExpectCode(codes::kOrderIdMismatch, [&] { gateway_.Approve(a); });
  a = ApproveFor(ready, token);
  a.partner_user_id = "other-user";
  ExpectCode(codes::kUserIdMismatch, [&] { gateway_.Approve(a); });
}

TEST_F(GatewayTest, Approve_WithWrongPgToken_Answers708) {
  Payment ready = gateway_.Ready(MakeReady());
  gateway_.Authenticate(ready.tid, PageAction::kApprove);
  ExpectCode(codes::kBadPgToken, [&] { gateway_.Approve(ApproveFor(ready, "not-the-token")); });
}

TEST_F(GatewayTest, Approve_WhenTidUnknownOrOfAnotherCid_Answers721) {
  Payment ready = gateway_.Ready(MakeReady());
  ApproveRequest a = ApproveFor(ready, "t");
  a.tid = "T0000000000000000000";
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Approve(a); });
  a = ApproveFor(ready, "t");
  a.cid = "TCSUBSCRIP";
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Approve(a); });
}

TEST_F(GatewayTest, Approve_When15MinutesPassed_Answers723) {
  Payment ready = gateway_.Ready(MakeReady());
  std::string token = PgTokenOf(gateway_.Authenticate(ready.tid, PageAction::kApprove));
  clock_.Advance(15min);
  ExpectCode(codes::kExpired, [&] { gateway_.Approve(ApproveFor(ready, token)); });
  EXPECT_EQ(gateway_.Order(ready.cid, ready.tid).status, "FAIL_PAYMENT");
  EXPECT_TRUE(gateway_.Ledger().empty());
}

TEST_F(GatewayTest, Approve_JustBefore15Minutes_Succeeds) {
  Payment ready = gateway_.Ready(MakeReady());
  std::string token = PgTokenOf(gateway_.Authenticate(ready.tid, PageAction::kApprove));
  clock_.Advance(15min - 1s);
  EXPECT_NO_THROW(gateway_.Approve(ApproveFor(ready, token)));
}

TEST_F(GatewayTest, ApprovalPage_WhenExpired_RedirectsToFailUrlWith723) {
  Payment ready = gateway_.Ready(MakeReady());
  clock_.Advance(16min);
  std::string location = gateway_.Authenticate(ready.tid, PageAction::kApprove);
  EXPECT_TRUE(location.starts_with("http://shop.test/fail?error_code=-723")) << location;
}

TEST_F(GatewayTest, ApprovalPage_Quit_RedirectsToCancelUrlAndApproveAnswers783) {
  Payment ready = gateway_.Ready(MakeReady());
  EXPECT_EQ(gateway_.Authenticate(ready.tid, PageAction::kQuit), "http://shop.test/cancel");
  EXPECT_EQ(gateway_.Order(ready.cid, ready.tid).status, "QUIT_PAYMENT");
  ExpectCode(codes::kNotApprovable, [&] { gateway_.Approve(ApproveFor(ready, "t")); });
  ExpectCode(codes::kNotApprovable, [&] { gateway_.Authenticate(ready.tid, PageAction::kApprove); });
}

TEST_F(GatewayTest, ApprovalPage_Fail_RedirectsToFailUrlWithErrorParameters) {
  Payment ready = gateway_.Ready(MakeReady());
  std::string location = gateway_.Authenticate(ready.tid, PageAction::kFail);
  EXPECT_NE(location.find("error_code=-780"), std::string::npos) << location;
  EXPECT_NE(location.find("error_message="), std::string::npos);
  EXPECT_NE(location.find("method_result_code=INSUFFICIENT_BALANCE"), std::string::npos);
  EXPECT_NE(location.find("method_result_message="), std::string::npos);
}

TEST_F(GatewayTest, ApprovalPage_WhenTidUnknown_Answers721) {
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Authenticate("T1", PageAction::kApprove); });
}

TEST_F(GatewayTest, Subscription_WithActiveSid_ChargesWithNewTidAndAid) {
  PaymentOutcome first = Pay(MakeReady("TCSUBSCRIP"));
  clock_.Advance(30 * 24h);
  PaymentOutcome charge = gateway_.Charge(MakeCharge(first.payment.sid, "sub-1-2024-06-01"));
  EXPECT_NE(charge.payment.tid, first.payment.tid);
  EXPECT_NE(charge.action.aid, first.action.aid);
  EXPECT_EQ(charge.payment.sid, first.payment.sid);
  EXPECT_EQ(charge.payment.status, "SUCCESS_PAYMENT");
  EXPECT_EQ(gateway_.SidStatus("TCSUBSCRIP", first.payment.sid).last_approved_at, clock_.Now());
}

TEST_F(GatewayTest, Subscription_WhenSameSidAndPartnerOrderIdChargedTwice_Answers785) {
  std::string sid = IssueSid();
  gateway_.Charge(MakeCharge(sid, "sub-1-cycle-2"));
  ExpectCode(codes::kDuplicate, [&] { gateway_.Charge(MakeCharge(sid, "sub-1-cycle-2")); });
  EXPECT_NO_THROW(gateway_.Charge(MakeCharge(sid, "sub-1-cycle-3")));
  EXPECT_EQ(gateway_.Ledger().size(), 3u);  // first approve + two distinct cycles
}

TEST_F(GatewayTest, Subscription_WhenSidUnknown_Answers750) {
  ExpectCode(codes::kSidNotFound, [&] { gateway_.Charge(MakeCharge("S0000000000000000001", "o")); });
}

TEST_F(GatewayTest, Subscription_WhenSidInactive_Answers751) {
  std::string sid = IssueSid();
  Sid inactive = gateway_.InactivateSid("TCSUBSCRIP", sid);
  EXPECT_EQ(inactive.status, "INACTIVE");
  EXPECT_TRUE(inactive.inactivated_at.has_value());
  ExpectCode(codes::kSidInactive, [&] { gateway_.Charge(MakeCharge(sid, "o")); });
  ExpectCode(codes::kSidInactive, [&] { gateway_.InactivateSid("TCSUBSCRIP", sid); });
}

TEST_F(GatewayTest, Subscription_WhenPartnerUserDiffers_Answers753) {
  std::string sid = IssueSid("user-1");
  ExpectCode(codes::kSidUserMismatch, [&] { gateway_.Charge(MakeCharge(sid, "o", "user-2")); });
}

TEST_F(GatewayTest, Subscription_WithOneTimeCid_Answers731) {
  std::string sid = IssueSid();
  SubscriptionRequest r = MakeCharge(sid, "o");
  r.cid = "TC0ONETIME";
  ExpectCode(codes::kBadCid, [&] { gateway_.Charge(r); });
}

TEST_F(GatewayTest, Subscription_WithSeededSid_ChargesAnyUserUntilInactivated) {
  EXPECT_EQ(gateway_.SidStatus("TCSUBSCRIP", "SSEED000000000000042").status, "ACTIVE");
  EXPECT_NO_THROW(gateway_.Charge(MakeCharge("SSEED000000000000042", "seed-1", "user-a")));
  EXPECT_NO_THROW(gateway_.Charge(MakeCharge("SSEED000000000000042", "seed-2", "user-b")));
  ExpectCode(codes::kDuplicate, [&] { gateway_.Charge(MakeCharge("SSEED000000000000042", "seed-2", "user-b")); });
  gateway_.InactivateSid("TCSUBSCRIP", "SSEED000000000000042");
  ExpectCode(codes::kSidInactive, [&] { gateway_.Charge(MakeCharge("SSEED000000000000042", "seed-3")); });
}

TEST_F(GatewayTest, Cancel_PartialThenFull_TracksCumulativeAmounts) {
  PaymentOutcome paid = Pay(MakeReady("TC0ONETIME", "o", "u", 11000, 0));
  CancelRequest c{"TC0ONETIME", paid.payment.tid, 4000, 0, std::nullopt, std::nullopt, ""};
  PaymentOutcome part = gateway_.Cancel(c);
  EXPECT_EQ(part.payment.status, "PART_CANCEL_PAYMENT");
  EXPECT_EQ(part.action.amount.total, 4000);
  EXPECT_EQ(part.payment.canceled.total, 4000);
  EXPECT_EQ(part.payment.CancelAvailable(), 7000);

  c.cancel_amount = 7000;
  PaymentOutcome full = gateway_.Cancel(c);
  EXPECT_EQ(full.payment.status, "CANCEL_PAYMENT");
  EXPECT_EQ(full.payment.canceled.total, 11000);
  EXPECT_EQ(full.payment.canceled.vat, full.payment.amount.vat);  // the last cancel takes the rest of the VAT
  EXPECT_EQ(full.payment.CancelAvailable(), 0);
  ExpectCode(codes::kNotCancellable, [&] { gateway_.Cancel(c); });
}

TEST_F(GatewayTest, Cancel_WhenOverCancellable_Answers710) {
  PaymentOutcome paid = Pay(MakeReady("TC0ONETIME", "o", "u", 10000, 0));
  CancelRequest c{"TC0ONETIME", paid.payment.tid, 10001, 0, std::nullopt, std::nullopt, ""};
  ExpectCode(codes::kCancelExceeds, [&] { gateway_.Cancel(c); });
  c.cancel_amount = 6000;
  gateway_.Cancel(c);
  c.cancel_amount = 4001;
  ExpectCode(codes::kCancelExceeds, [&] { gateway_.Cancel(c); });
}

TEST_F(GatewayTest, Cancel_WhenTidUnknown_Answers721) {
  CancelRequest c{"TC0ONETIME", "T0000000000000000000", 1, 0, std::nullopt, std::nullopt, ""};
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Cancel(c); });
}

TEST_F(GatewayTest, Cancel_WhenNotApproved_Answers784) {
  Payment ready = gateway_.Ready(MakeReady());
  CancelRequest c{"TC0ONETIME", ready.tid, 1, 0, std::nullopt, std::nullopt, ""};
  ExpectCode(codes::kNotCancellable, [&] { gateway_.Cancel(c); });
}

TEST_F(GatewayTest, Cancel_OfSubscriptionCharge_IsRecordedWithTheSid) {
  std::string sid = IssueSid();
  PaymentOutcome charge = gateway_.Charge(MakeCharge(sid, "cycle-2", "user-1", 5000));
  gateway_.Cancel({"TCSUBSCRIP", charge.payment.tid, 5000, 0, std::nullopt, std::nullopt, ""});
  LedgerEntry last = gateway_.Ledger().back();
  EXPECT_EQ(last.kind, "CANCEL");
  EXPECT_EQ(last.sid, sid);
  EXPECT_EQ(last.amount, 5000);
}

TEST_F(GatewayTest, Order_ListsPaymentActionDetails) {
  PaymentOutcome paid = Pay(MakeReady());
  gateway_.Cancel({"TC0ONETIME", paid.payment.tid, 1000, 0, std::nullopt, std::nullopt, "why"});
  Payment order = gateway_.Order("TC0ONETIME", paid.payment.tid);
  ASSERT_EQ(order.actions.size(), 2u);
  EXPECT_EQ(order.actions[0].type, "PAYMENT");
  EXPECT_EQ(order.actions[0].aid, paid.action.aid);
  EXPECT_EQ(order.actions[1].type, "CANCEL");
  EXPECT_EQ(order.actions[1].amount.total, 1000);
  EXPECT_EQ(order.actions[1].payload, "why");
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Order("TC0ONETIME", "T0"); });
}

TEST_F(GatewayTest, Ledger_RecordsEveryMoneyMovementInOrder) {
  PaymentOutcome first = Pay(MakeReady("TCSUBSCRIP", "first", "user-1", 20000));
  clock_.Advance(1h);
  PaymentOutcome charge = gateway_.Charge(MakeCharge(first.payment.sid, "cycle-2", "user-1", 21000));
  clock_.Advance(1h);
  PaymentOutcome cancel = gateway_.Cancel({"TCSUBSCRIP", charge.payment.tid, 1000, 0, std::nullopt, std::nullopt, ""});

  std::vector<LedgerEntry> ledger = gateway_.Ledger();
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0].kind, "APPROVE");
  EXPECT_EQ(ledger[0].tid, first.payment.tid);
  EXPECT_EQ(ledger[0].aid, first.action.aid);
  EXPECT_EQ(ledger[0].sid, first.payment.sid);
  EXPECT_EQ(ledger[0].amount, 20000);
  EXPECT_EQ(ledger[1].kind, "SUBSCRIPTION");
  EXPECT_EQ(ledger[1].partner_order_id, "cycle-2");
  EXPECT_EQ(ledger[1].amount, 21000);
  EXPECT_EQ(ledger[2].kind, "CANCEL");
  EXPECT_EQ(ledger[2].aid, cancel.action.aid);
  EXPECT_EQ(ledger[2].amount, 1000);
  EXPECT_LT(ledger[0].at, ledger[1].at);
  EXPECT_LT(ledger[1].at, ledger[2].at);
}

TEST_F(GatewayTest, Reset_ForgetsPaymentsSidsAndLedger) {
  PaymentOutcome paid = Pay(MakeReady("TCSUBSCRIP"));
  gateway_.Reset();
  EXPECT_TRUE(gateway_.Ledger().empty());
  ExpectCode(codes::kTidNotFound, [&] { gateway_.Order("TCSUBSCRIP", paid.payment.tid); });
  ExpectCode(codes::kSidNotFound, [&] { gateway_.SidStatus("TCSUBSCRIP", paid.payment.sid); });
}

TEST(GatewayStoreTest, Restart_WithSqliteStore_KeepsPaymentsSidsLedgerAndDuplicateCheck) {
  testing::TempDir dir;
  std::string db = (dir.Path() / "sim.db").string();
  infra::ManualClock clock;
  std::string sid;
  std::string tid;
  {
    Gateway gateway(clock, {}, OpenSqliteStore(db));
    Payment ready = gateway.Ready(MakeReady("TCSUBSCRIP"));
    std::string location = gateway.Authenticate(ready.tid, PageAction::kApprove);
    ApproveRequest a{ready.cid, ready.tid,   ready.partner_order_id, ready.partner_user_id, PgTokenOf(location),
                     "",        std::nullopt};
    sid = gateway.Approve(a).payment.sid;
    tid = gateway.Charge(MakeCharge(sid, "cycle-2")).payment.tid;
    gateway.Cancel({"TCSUBSCRIP", tid, 1000, 0, std::nullopt, std::nullopt, ""});
  }
  Gateway restarted(clock, {}, OpenSqliteStore(db));
  std::vector<LedgerEntry> ledger = restarted.Ledger();
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0].kind, "APPROVE");
  EXPECT_EQ(ledger[1].kind, "SUBSCRIPTION");
  EXPECT_EQ(ledger[2].kind, "CANCEL");
  EXPECT_EQ(restarted.SidStatus("TCSUBSCRIP", sid).status, "ACTIVE");
  Payment order = restarted.Order("TCSUBSCRIP", tid);
  EXPECT_EQ(order.status, "PART_CANCEL_PAYMENT");
  EXPECT_EQ(order.actions.size(), 2u);
  ExpectCode(codes::kDuplicate, [&] { restarted.Charge(MakeCharge(sid, "cycle-2")); });

  restarted.Reset();
  Gateway after_reset(clock, {}, OpenSqliteStore(db));
  EXPECT_TRUE(after_reset.Ledger().empty());
}

}  // namespace
}  // namespace pillivery::simulator
