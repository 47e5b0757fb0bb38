#include "service/payments/payment_service.hpp"

#include "domain/error.hpp"
#include "infra/log.hpp"
#include "service/accounts/secure_random.hpp"
#include "storage/connection_errors.hpp"

#include <algorithm>

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;
using domain::Order;
using domain::OrderStatus;

namespace {
Error OrderNotFound(std::int64_t id) {
  return Error(ErrorCode::kOrderNotFound, "No order with id " + std::to_string(id) + ".");
}
// The same answer whether the order exists or not: a redirect without its
// attempt's value learns nothing.
Error AttemptNotFound() { return Error(ErrorCode::kPaymentAttemptNotFound, "No payment attempt matches this link."); }
Error OutsideGatewayRequired(std::int64_t order_id) {
  return Error(ErrorCode::kRefundOutsideGatewayRequired,
               "Order " + std::to_string(order_id) +
                   " was settled by the gateway's duplicate answer and has no tid to refund through the gateway; "
                   "an admin records a refund made outside the gateway (outsideGateway: true, with a reason).");
}
constexpr std::size_t kAttemptKeyBytes = 32;
std::string PartnerOrderId(std::int64_t order_id) { return "order-" + std::to_string(order_id); }
std::string PartnerUserId(std::int64_t user_id) { return "user-" + std::to_string(user_id); }
std::string ItemName(const Order& order) {
  std::string name = order.lines.empty() ? "Pillivery" : order.lines.front().product_name;
  if (order.lines.size() > 1) name += " 외 " + std::to_string(order.lines.size() - 1) + "건";
  return name;
}

Error RefundBeingConfirmed(std::int64_t amount) {
  return Error(ErrorCode::kRefundBeingConfirmed,
               "A refund of " + std::to_string(amount) +
                   " won is being confirmed with the gateway; try again once the order shows whether it was made.");
}
}  // namespace

void PaymentService::ThrowFor(const std::string& what, payment::OutcomeKind kind, const std::string& detail) {
  using payment::OutcomeKind;
  switch (kind) {
    case OutcomeKind::kHardDecline:
    case OutcomeKind::kSoftDecline:
    case OutcomeKind::kDuplicate:
      throw Error(ErrorCode::kPaymentDeclined, what + " was declined: " + detail);
    default:
      throw payment::GatewayUnavailableError(what + " could not be completed: " + detail);
  }
}

ReadyResult PaymentService::Ready(std::int64_t user_id, std::int64_t order_id) {
  auto order = orders_.Find(order_id);
  if (!order || order->user_id != user_id) throw OrderNotFound(order_id);
  if (order->status != OrderStatus::kPendingPayment)
    throw Error(ErrorCode::kOrderNotPayable,
                "The order is " + std::string(domain::CodeOf(order->status)) + ", not awaiting payment.");
  bool recurring = order->type == domain::OrderType::kSubscription;
  std::string base = settings_.public_base_url + "/api/payments/kakaopay/";
  // Only this attempt's redirects carry the value; only its hash is stored.
  std::string attempt_key = RandomToken(kAttemptKeyBytes);
  std::string query = "?orderId=" + std::to_string(order_id) + "&attempt=" + attempt_key;
  payment::ReadyRequest request;
  request.cid = recurring ? settings_.recurring_cid : settings_.one_time_cid;
  request.partner_order_id = PartnerOrderId(order_id);
  request.partner_user_id = PartnerUserId(user_id);
  request.item_name = ItemName(*order);
  request.quantity = order->totals.item_count;
  request.total_amount = order->totals.total_price;
  request.tax_free_amount = 0;
  request.approval_url = base + "approve" + query;
  request.cancel_url = base + "cancel" + query;
  request.fail_url = base + "fail" + query;
  auto result = gateway_.Ready(request);
  if (!result.Ok()) ThrowFor("Payment preparation", result.Kind(), result.Describe());
  const auto& ready = result.Response();
  storage::PaymentRecord record;
  record.order_id = order_id;
  record.provider = "KAKAOPAY";
  record.cid = request.cid;
  record.tid = ready.tid;
  record.partner_order_id = request.partner_order_id;
  record.partner_user_id = request.partner_user_id;
  record.amount = request.total_amount;
  record.redirect_key_hash = Sha256Hex(attempt_key);
  payments_.InsertReady(record, Now());
  return {ready.tid, ready.next_redirect_pc_url, ready.next_redirect_mobile_url, ready.next_redirect_app_url};
}

Order PaymentService::Approve(std::int64_t order_id, const std::string& attempt_key, const std::string& pg_token) {
  if (pg_token.empty() || pg_token.size() > 100) throw Error::Validation({{"pg_token", "required"}});
  auto payment = payments_.Attempt(order_id, Sha256Hex(attempt_key));
  if (!payment) throw AttemptNotFound();
  auto order = orders_.Find(order_id);
  if (!order) throw AttemptNotFound();
  if (order->status != OrderStatus::kPendingPayment) {
    if (order->status == OrderStatus::kPaid || order->status == OrderStatus::kShipped ||
        order->status == OrderStatus::kDelivered)
      return *order;  // a second approval (browser refresh, replayed redirect) changes nothing
    throw Error(ErrorCode::kOrderNotPayable, "The order is " + std::string(domain::CodeOf(order->status)) + ".");
  }
  if (payment->status != domain::PaymentStatus::kReady)
    throw Error(ErrorCode::kPaymentNotReady, "This payment attempt is not awaiting approval.");

  GatewayApproval approval;
  try {
    approval = ApproveAtGateway(*payment, pg_token);
  } catch (const Error& error) {
    if (!error.Is(ErrorCode::kPaymentGatewayUnavailable)) throw;
    // The approve may have gone through while nothing answered: settle it
    // later even if the customer never comes back to retry.
    AppendEvent(kEventApprovalResolve, order_id, {{"orderId", order_id}, {"paymentId", payment->id}});
    throw;
  }
  return Complete(*order, *payment, approval);
}

void PaymentService::ResolveApproval(std::int64_t order_id, std::optional<std::int64_t> payment_id) {
  auto order = orders_.Find(order_id);
  if (!order) return;
  // The attempt whose approve went unanswered (a newer one may exist: another tab).
  auto payment = payment_id ? payments_.ById(*payment_id) : payments_.Latest(order_id);
  if (payment && payment->order_id != order_id) return;
  if (!payment || payment->status != domain::PaymentStatus::kReady)
    return;  // settled meanwhile (e.g. the customer's retry)
  auto state = LookUp(*payment);
  if (!state) throw std::runtime_error("the gateway did not answer the lookup of tid " + payment->tid);
  if (state->state == payment::GatewayPaymentState::kApproved) {
    infra::LogInfo("approval resolved later", {{"orderId", order_id}, {"status", state->gateway_status}});
    try {
      Complete(*order, *payment, {state->approval_id, state->sid});
    } catch (const Error& error) {
      if (!error.Is(ErrorCode::kOrderNotPayable)) throw;  // refunded: nothing more to do
    }
    return;
  }
  if (state->state == payment::GatewayPaymentState::kFailed)
    payments_.MarkStatus(payment->id, domain::PaymentStatus::kFailed, state->gateway_status);
  // Otherwise the approve never happened: the customer may still approve.
}

void PaymentService::AppendEvent(const std::string& type, std::int64_t order_id, boost::json::object payload) {
  if (!events_) return;
  storage::UnitOfWork work(db_);
  events_(work, type, std::to_string(order_id), std::move(payload));
  work.Commit();
}

Order PaymentService::Complete(const Order& order, const storage::PaymentRecord& payment,
                               const GatewayApproval& approval) {
  std::int64_t order_id = order.id;
  auto now = clock_.Now();
  auto today = infra::BusinessDate(now);
  std::string now_iso = infra::FormatIsoTime(now);
  bool recurring = order.type == domain::OrderType::kSubscription;
  const std::optional<std::string>& sid = approval.sid;
  if (recurring && !sid) throw Error(ErrorCode::kPaymentGatewayUnavailable, "The approval carried no SID.");
  // One unit of work: the order PAID (a conditional update: false when it was no
  // longer pending), its payment approved, its subscriptions, its events.
  bool paid = false;
  {
    storage::UnitOfWork work(db_);
    paid = orders_.MarkPaid(work, order_id, "KAKAOPAY", payment.tid, now_iso);
    if (paid) {
      const Order now_paid = *orders_.Find(work, order_id);
      payments_.MarkApproved(work, payment.id, approval.aid, sid, now_iso);
      if (recurring)
        subscriptions_.CreateForOrder(work, now_paid, *sid, payment.cid, payment.partner_user_id, today, now_iso);
      if (events_) {
        boost::json::array sold, item_ids;
        for (const auto& line : now_paid.lines) {
          sold.push_back({{"itemId", line.item_id}, {"quantity", line.quantity}});
          item_ids.push_back(line.item_id);
        }
        events_(work, kEventSalesCount, std::to_string(order_id), {{"items", std::move(sold)}});
        events_(work, kEventCartCleanup, std::to_string(order_id),
                {{"userId", now_paid.user_id},
                 {"kind", recurring ? "subscription" : "normal"},
                 {"itemIds", std::move(item_ids)}});
        events_(work, kEventNotify, std::to_string(order_id),
                {{"kind", "ORDER_PAID"},
                 {"userId", now_paid.user_id},
                 {"orderId", order_id},
                 {"amount", now_paid.totals.total_price}});
      }
      work.Commit();
    }
  }
  auto current = orders_.Find(order_id);
  bool paid_by_this = current && current->payment && current->payment->tid == payment.tid &&
                      (current->status == OrderStatus::kPaid || current->status == OrderStatus::kShipped ||
                       current->status == OrderStatus::kDelivered);
  if (paid || paid_by_this) {
    return *current;  // paid now, or by a concurrent approval of this same payment
  }
  // The order closed while the customer paid: the money goes back, through the
  // outbox so a gateway hiccup cannot lose the refund.
  AppendEvent(kEventRefund, order_id,
              {{"orderId", order_id}, {"tid", payment.tid}, {"cid", payment.cid}, {"amount", payment.amount}});
  payments_.MarkStatus(payment.id, domain::PaymentStatus::kFailed, "ORDER_CLOSED_REFUNDED");
  infra::LogWarn("payment approved for a closed order; refunding",
                 {{"orderId", order_id}, {"tid", payment.tid}, {"amount", payment.amount}});
  throw Error(ErrorCode::kOrderNotPayable,
              "The order closed before the payment completed; the payment is refunded in full.");
}

PaymentService::GatewayApproval PaymentService::ApproveAtGateway(const storage::PaymentRecord& payment,
                                                                 const std::string& pg_token) {
  payment::ApproveRequest request{
      payment.cid,  payment.tid,   payment.partner_order_id, payment.partner_user_id, pg_token,
      std::nullopt, payment.amount};
  for (int attempt = 1;; ++attempt) {
    auto result = gateway_.Approve(request);
    if (result.Ok()) return {result.Response().aid, result.Response().sid};
    auto kind = result.Kind();
    auto* hard = result.Get<payment::HardDecline>();
    bool already_approved = hard && hard->code == -702;  // our record of it was lost
    bool maybe_approved = kind == payment::OutcomeKind::kUnknown || kind == payment::OutcomeKind::kServerError;
    if (!already_approved && !maybe_approved) {
      // A bad pg_token (-708) says nothing about the attempt: the real one may still come.
      bool bad_token = hard && hard->code == -708;
      if ((kind == payment::OutcomeKind::kHardDecline && !bad_token) || kind == payment::OutcomeKind::kSoftDecline)
        payments_.MarkStatus(payment.id, domain::PaymentStatus::kFailed, result.Describe());
      ThrowFor("Payment approval", kind, result.Describe());  // declined, or nothing was sent
    }
    // The approve may have gone through: ask before anything is sent again.
    auto state = LookUp(payment);
    if (!state)
      throw payment::GatewayUnavailableError("Payment approval could not be completed: " + result.Describe() +
                                             "; the lookup did not answer either");
    if (state->state == payment::GatewayPaymentState::kApproved) {
      infra::LogInfo("approval resolved by lookup",
                     {{"orderId", payment.order_id}, {"status", state->gateway_status}, {"attempt", attempt}});
      return {state->approval_id, state->sid};
    }
    if (state->state == payment::GatewayPaymentState::kFailed) {
      payments_.MarkStatus(payment.id, domain::PaymentStatus::kFailed, state->gateway_status);
      throw Error(ErrorCode::kPaymentDeclined, "Payment approval failed: " + state->gateway_status);
    }
    // Still unapproved at the gateway, so that approve never happened and may be sent again.
    if (attempt >= settings_.approve_attempts)
      throw payment::GatewayUnavailableError("Payment approval could not be completed in " + std::to_string(attempt) +
                                             " attempts: " + result.Describe());
  }
}

std::optional<payment::PaymentLookup> PaymentService::LookUp(const storage::PaymentRecord& payment) {
  for (int attempt = 1; attempt <= settings_.approve_attempts; ++attempt) {
    auto result = gateway_.OrderLookup({payment.cid, payment.tid});
    if (result.Ok()) return payment::ReadKakaoPayOrder(result.Response());
    auto kind = result.Kind();
    // A refusal of our own (breaker open, no bulkhead slot) will not clear by asking again now.
    if (kind == payment::OutcomeKind::kCircuitOpen || kind == payment::OutcomeKind::kBulkheadFull) break;
    if (!payment::IsGatewayFailure(kind)) break;  // a decline of the lookup itself (e.g. -721): no answer to wait for
  }
  return std::nullopt;
}

void PaymentService::Abandon(std::int64_t order_id, const std::string& attempt_key, domain::PaymentStatus status,
                             const std::string& code) {
  auto payment = payments_.Attempt(order_id, Sha256Hex(attempt_key));
  if (!payment) throw AttemptNotFound();
  payments_.MarkStatus(payment->id, status, code);  // only while READY
  if (on_abandoned_) on_abandoned_(order_id);
}

Order PaymentService::CancelPaid(std::int64_t user_id, std::int64_t order_id) {
  auto order = orders_.Find(order_id);
  if (!order || order->user_id != user_id) throw OrderNotFound(order_id);
  auto payment = payments_.Approved(order_id);
  if (order->status != OrderStatus::kPaid || !payment)
    throw Error(ErrorCode::kOrderNotCancellable,
                "Only an unpaid or paid, unshipped order can be cancelled; this one is " +
                    std::string(domain::CodeOf(order->status)) + ".");
  if (payment->tid.empty()) throw OutsideGatewayRequired(order_id);
  if (payment->refund_in_doubt) throw RefundBeingConfirmed(*payment->refund_in_doubt);
  std::int64_t remaining = payment->amount - payment->refunded_amount;
  {
    // One unit of work: the order locked while PAID, the refund recorded (the
    // order REFUNDED, its stock back), the gateway refund queued, its subscriptions ended.
    storage::UnitOfWork work(db_);
    if (!orders_.LockPaid(work, order_id)) throw Error(ErrorCode::kOrderNotCancellable, "The order changed meanwhile.");
    auto total =
        payments_.AddRefund(work, order_id, {remaining, storage::RefundChannel::kGateway, std::nullopt}, Now());
    if (!total) throw Error(ErrorCode::kOrderNotCancellable, "Nothing is left to refund.");
    if (events_)
      events_(work, kEventRefund, std::to_string(order_id),
              {{"tid", payment->tid}, {"cid", payment->cid}, {"amount", remaining}, {"refundedTotalAfter", *total}});
    subscription_service_.EndAllFromOrder(work, order_id);  // a renewal order created none
    work.Commit();
  }
  return *orders_.Find(order_id);
}

namespace {
// A failure after the request may have reached the gateway: the cancel may have been made.
bool MayHaveHappened(payment::OutcomeKind kind) {
  return kind == payment::OutcomeKind::kUnknown || kind == payment::OutcomeKind::kServerError ||
         kind == payment::OutcomeKind::kConnectFailure;
}

// How often a refund's recording runs after the gateway made it, when each try is
// rolled back as a deadlock's victim.
constexpr int kRecordAttempts = 5;
}  // namespace

// An admin refund whose answer was lost is resolved like an approval: the gateway's
// order lookup says whether its cancelled total already includes this refund. When
// it does not, nothing was refunded and a retry is safe. When nothing answers the
// lookup either, the refund is held in doubt and the outbox settles it.
Order PaymentService::Refund(std::int64_t order_id, const RefundRequest& refund) {
  auto order = orders_.Find(order_id);
  if (!order) throw OrderNotFound(order_id);
  auto payment = payments_.Approved(order_id);
  if (!payment) throw Error(ErrorCode::kOrderNotRefundable, "The order has no approved payment.");
  if (payment->tid.empty() && !refund.outside_gateway) throw OutsideGatewayRequired(order_id);
  if (!payment->tid.empty() && refund.outside_gateway)
    throw Error(ErrorCode::kRefundThroughGatewayRequired,
                "This payment has a tid: refund it through the gateway, so the gateway's ledger stays the truth.");
  if (payment->refund_in_doubt) throw RefundBeingConfirmed(*payment->refund_in_doubt);
  std::int64_t remaining = payment->amount - payment->refunded_amount;
  if (refund.amount < 1 || refund.amount > remaining)
    throw Error(ErrorCode::kRefundExceedsPayment,
                "At most " + std::to_string(remaining) + " won can still be refunded.");
  if (!refund.outside_gateway) {
    payment::CancelRequest request;
    request.cid = payment->cid;
    request.tid = payment->tid;
    request.cancel_amount = refund.amount;
    request.cancel_tax_free_amount = 0;
    auto result = gateway_.Cancel(request);  // no transaction is open here
    if (!result.Ok()) {
      if (!MayHaveHappened(result.Kind())) ThrowFor("The refund", result.Kind(), result.Describe());
      auto found = LookUp(*payment);
      if (!found) HoldRefundInDoubt(*payment, refund.amount, result.Describe());
      if (found->cancelled_total < payment->refunded_amount + refund.amount)
        ThrowFor("The refund", result.Kind(), result.Describe());  // not made: a retry is safe
    }
  }
  RecordRefund(*payment,
               {refund.amount,
                refund.outside_gateway ? storage::RefundChannel::kOutsideGateway : storage::RefundChannel::kGateway,
                refund.reason},
               false);
  return *orders_.Find(order_id);
}

void PaymentService::HoldRefundInDoubt(const storage::PaymentRecord& payment, std::int64_t amount,
                                       const std::string& detail) {
  if (!events_) ThrowFor("The refund", payment::OutcomeKind::kUnknown, detail);  // no outbox to settle it
  {
    storage::UnitOfWork work(db_);
    payments_.HoldRefundInDoubt(work, payment.id, amount);
    events_(work, kEventRefundSettle, std::to_string(payment.order_id),
            {{"orderId", payment.order_id}, {"paymentId", payment.id}, {"amount", amount}});
    work.Commit();
  }
  infra::LogWarn("refund in doubt", {{"orderId", payment.order_id}, {"amount", amount}, {"reason", detail}});
  throw payment::GatewayUnavailableError(
      "The refund went to the gateway, which did not confirm it (" + detail +
      "), and the gateway cannot be asked now. The store asks again and records the refund if it was made; "
      "do not send it again: until then the order takes no other refund.");
}

void PaymentService::SettleRefund(std::int64_t payment_id) {
  auto payment = payments_.ById(payment_id);
  if (!payment || !payment->refund_in_doubt) return;  // settled already (a redelivery, or a sibling event)
  const std::int64_t held = *payment->refund_in_doubt;
  auto found = LookUp(*payment);
  if (!found) throw std::runtime_error("the gateway did not answer the lookup of tid " + payment->tid);
  // Nothing else refunds this payment while something is held, so what the
  // gateway cancelled beyond the recorded refunds is what was made of it.
  std::int64_t made = std::clamp<std::int64_t>(found->cancelled_total - payment->refunded_amount, 0, held);
  infra::LogInfo("refund in doubt settled", {{"orderId", payment->order_id}, {"held", held}, {"made", made}});
  if (made > 0) {
    RecordRefund(*payment, {made, storage::RefundChannel::kGateway, std::nullopt}, true);
    return;
  }
  storage::UnitOfWork work(db_);
  payments_.ReleaseRefundInDoubt(work, payment->id);
  work.Commit();
}

// The gateway has moved the money, so the recording must land: when MariaDB rolls
// it back as a deadlock's victim (nothing of it kept), it runs again.
void PaymentService::RecordRefund(const storage::PaymentRecord& payment, const storage::RefundEntry& entry,
                                  bool settles_doubt) {
  for (int attempt = 1;; ++attempt) {
    try {
      storage::UnitOfWork work(db_);
      auto total = payments_.AddRefund(work, payment.order_id, entry, Now());
      if (!total) {
        infra::LogError("refund recorded at the gateway but not here",
                        {{"orderId", payment.order_id}, {"amount", entry.amount}});
      } else if (*total == payment.amount) {
        // Refunded in full: the subscriptions this order created end with it.
        subscription_service_.EndAllFromOrder(work, payment.order_id);
      }
      if (settles_doubt) payments_.ReleaseRefundInDoubt(work, payment.id);
      work.Commit();
      return;
    } catch (const std::exception& e) {
      auto transient = storage::TransientDatabaseError(e);
      if (!transient || !transient->Is(ErrorCode::kDatabaseBusy) || attempt >= kRecordAttempts) {
        if (entry.channel == storage::RefundChannel::kGateway)
          infra::LogError("refund made at the gateway but not recorded",
                          {{"orderId", payment.order_id}, {"amount", entry.amount}, {"reason", e.what()}});
        throw;
      }
    }
  }
}

}  // namespace pillivery::service
