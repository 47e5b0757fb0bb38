#pragma once
// KakaoPay flows of an order: ready → (customer at KakaoPay) → approve → PAID
// (and, for SUBSCRIPTION orders, the subscriptions with the SID); cancel/fail
// redirects; refunds. No transaction or pooled connection is held while the
// gateway is called: read, call, then write.
#include "domain/order.hpp"
#include "domain/payment.hpp"
#include "infra/clock.hpp"
#include "payment/gateway.hpp"
#include "payment/payment_lookup.hpp"
#include "service/billing/subscription_service.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/order_repository.hpp"
#include "storage/payment_repository.hpp"
#include "storage/subscription_repository.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>

namespace pillivery::service {

struct PaymentSettings {
  std::string one_time_cid = "TC0ONETIME";
  std::string recurring_cid = "TCSUBSCRIP";
  std::string public_base_url;  // approval/cancel/fail URLs point here
  // How often one approval may send approve. An approve whose outcome is unknown
  // is looked up first; only a tid the gateway still shows unapproved is sent again.
  // Also bounds the lookups of one resolution (reads, safe to repeat).
  int approve_attempts = 3;
};

struct ReadyResult {
  std::string tid;
  std::string pc_url, mobile_url, app_url;
};

// An admin refund: through the gateway, or recorded as made outside it (only
// for a payment without tid, settled by the duplicate answer), with a reason.
struct RefundRequest {
  std::int64_t amount = 0;
  bool outside_gateway = false;
  std::optional<std::string> reason;
};

class PaymentService {
 public:
  PaymentService(storage::Database& db, storage::OrderRepository& orders, storage::PaymentRepository& payments,
                 storage::SubscriptionRepository& subscriptions, SubscriptionService& subscription_service,
                 payment::Gateway& gateway, const infra::Clock& clock, EventSink events, PaymentSettings settings)
      : db_(db),
        orders_(orders),
        payments_(payments),
        subscriptions_(subscriptions),
        subscription_service_(subscription_service),
        gateway_(gateway),
        clock_(clock),
        events_(std::move(events)),
        settings_(std::move(settings)) {}

  // 404 ORDER_NOT_FOUND (or not yours), 409 ORDER_NOT_PAYABLE, 422 PAYMENT_DECLINED, 503 PAYMENT_GATEWAY_UNAVAILABLE.
  ReadyResult Ready(std::int64_t user_id, std::int64_t order_id);
  // The approval redirect of one attempt, named by the unguessable value its URLs
  // carry (`attempt_key`): without the right one, 404 PAYMENT_ATTEMPT_NOT_FOUND
  // and nothing changes. A second approval of a paid order is harmless: it answers the order.
  domain::Order Approve(std::int64_t order_id, const std::string& attempt_key, const std::string& pg_token);
  // An approval whose outcome stayed unknown (the gateway did not answer the
  // approve nor the lookups) is settled later through the outbox: paid if the
  // gateway approved it, refunded if the order closed meanwhile. Throws while
  // the gateway still cannot tell, so the outbox tries again with backoff.
  // `payment_id`: the attempt (events written before it was recorded name none: the latest).
  void ResolveApproval(std::int64_t order_id, std::optional<std::int64_t> payment_id = std::nullopt);
  // The cancel/fail redirects of one attempt (named as for Approve): that attempt
  // is recorded as cancelled/failed, the order stays PENDING_PAYMENT, a newer attempt is untouched.
  void Abandon(std::int64_t order_id, const std::string& attempt_key, domain::PaymentStatus status,
               const std::string& code);
  // The customer cancels a PAID order: REFUNDED, stock back, full refund through
  // the outbox; the subscriptions it created end in the same transaction.
  // 409 REFUND_BEING_CONFIRMED while an admin refund of the order is in doubt.
  domain::Order CancelPaid(std::int64_t user_id, std::int64_t order_id);
  // Called after Abandon records a quit or failed payment (the order service
  // shortens the order's stock reservation).
  void OnAbandoned(std::function<void(std::int64_t order_id)> hook) { on_abandoned_ = std::move(hook); }
  // An admin refund (partial allowed), through the gateway now (or recorded
  // outside it); a full one ends the subscriptions the order created.
  // A refund whose answer was lost is looked up; if nothing answers, it is held
  // in doubt (503 PAYMENT_GATEWAY_UNAVAILABLE) and settled by SettleRefund, and
  // until then the order takes no other refund (409 REFUND_BEING_CONFIRMED).
  domain::Order Refund(std::int64_t order_id, const RefundRequest& refund);
  // Settles the refunds held in doubt on a payment, through the outbox: what the
  // gateway's cancelled total shows beyond the refunds recorded is recorded
  // (at most what is held), the rest is let go (the admin may send it again).
  // Throws while the gateway cannot tell, so the outbox tries again.
  void SettleRefund(std::int64_t payment_id);

 private:
  std::string Now() const { return infra::FormatIsoTime(clock_.Now()); }
  [[noreturn]] void ThrowFor(const std::string& what, payment::OutcomeKind kind, const std::string& detail);
  struct GatewayApproval {
    std::string aid;
    std::optional<std::string> sid;
  };
  // Approve, resolving every unknown outcome by lookup before re-sending; throws
  // PAYMENT_DECLINED or PAYMENT_GATEWAY_UNAVAILABLE when it cannot end approved.
  GatewayApproval ApproveAtGateway(const storage::PaymentRecord& payment, const std::string& pg_token);
  // The order becomes PAID with its events in one transaction; if it closed
  // (expired, cancelled) before that, the approved payment is refunded in full.
  domain::Order Complete(const domain::Order& order, const storage::PaymentRecord& payment,
                         const GatewayApproval& approval);
  // The gateway's view of a tid, looked up until it answers (nullopt: it never did).
  std::optional<payment::PaymentLookup> LookUp(const storage::PaymentRecord& payment);
  // Holds a refund that may have been made as in doubt, with the outbox event
  // that settles it, and throws 503 PAYMENT_GATEWAY_UNAVAILABLE saying so.
  [[noreturn]] void HoldRefundInDoubt(const storage::PaymentRecord& payment, std::int64_t amount,
                                      const std::string& detail);
  // Records a refund the gateway has made (retried when MariaDB picks it as a
  // deadlock's victim); `settles_doubt` also lets go of the payment's refund in doubt.
  void RecordRefund(const storage::PaymentRecord& payment, const storage::RefundEntry& entry, bool settles_doubt);
  // One event in a unit of work of its own (nothing else changes with it).
  void AppendEvent(const std::string& type, std::int64_t order_id, boost::json::object payload);
  storage::Database& db_;
  storage::OrderRepository& orders_;
  storage::PaymentRepository& payments_;
  storage::SubscriptionRepository& subscriptions_;
  SubscriptionService& subscription_service_;
  payment::Gateway& gateway_;
  const infra::Clock& clock_;
  EventSink events_;
  std::function<void(std::int64_t)> on_abandoned_;
  PaymentSettings settings_;
};

}  // namespace pillivery::service
