#pragma once
// Payment attempts of orders (one row per ready; the approved one carries the
// aid and, for subscriptions, the SID) and refunds.
#include "domain/payment.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <optional>
#include <string>

namespace pillivery::storage {

struct PaymentRecord {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::string provider, cid, partner_order_id, partner_user_id;
  std::string tid;  // empty only for a renewal settled by the duplicate answer (settled_by)
  std::int64_t amount = 0;
  domain::PaymentStatus status = domain::PaymentStatus::kReady;
  std::optional<std::string> sid, aid;
  std::int64_t refunded_amount = 0;
  std::optional<std::string> settled_by;  // DUPLICATE_ANSWER
  // SHA-256 (hex) of the unguessable value this attempt's redirect URLs carry.
  std::optional<std::string> redirect_key_hash;
  // A refund sent to the gateway whose outcome is not known yet (its amount).
  std::optional<std::int64_t> refund_in_doubt;
};

// Where a refund went.
enum class RefundChannel { kGateway, kOutsideGateway };

struct RefundEntry {
  std::int64_t amount = 0;
  RefundChannel channel = RefundChannel::kGateway;
  std::optional<std::string> reason;  // required outside the gateway
};

class PaymentRepository {
 public:
  explicit PaymentRepository(Database& db) : db_(db) {}

  void InsertReady(const PaymentRecord& record, const std::string& now_iso);
  // The newest attempt of the order (READY until approved).
  std::optional<PaymentRecord> Latest(std::int64_t order_id);
  std::optional<PaymentRecord> ById(std::int64_t payment_id);
  // The attempt of the order whose redirect value hashes to `key_hash` (nullopt: none).
  std::optional<PaymentRecord> Attempt(std::int64_t order_id, const std::string& key_hash);
  std::optional<PaymentRecord> Approved(std::int64_t order_id);
  // In the approval's unit of work.
  void MarkApproved(UnitOfWork& work, std::int64_t payment_id, const std::string& aid,
                    const std::optional<std::string>& sid, const std::string& now_iso);
  // A READY attempt becomes `status` (CANCELLED or FAILED) with the gateway's code; any other is left as it is.
  void MarkStatus(std::int64_t payment_id, domain::PaymentStatus status, const std::string& code);
  // Adds a refund to the payment and the order in the caller's unit of work; the
  // order becomes REFUNDED when everything paid has been refunded; a PAID order
  // refunded in full (not shipped) then gives its units back to stock.
  // Returns the refunded total after it, or nullopt when the amount exceeds what is left.
  // Each refund is also kept as a payment_refunds row with its channel and reason.
  std::optional<std::int64_t> AddRefund(UnitOfWork& work, std::int64_t order_id, const RefundEntry& refund,
                                        const std::string& now_iso);
  // Adds `amount` to the payment's refunds in doubt (two admins at once may both
  // lose their answers: the held total is what the gateway's answer is measured against).
  void HoldRefundInDoubt(UnitOfWork& work, std::int64_t payment_id, std::int64_t amount);
  // Lets go of the refund in doubt (settled: recorded or found not made).
  void ReleaseRefundInDoubt(UnitOfWork& work, std::int64_t payment_id);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
