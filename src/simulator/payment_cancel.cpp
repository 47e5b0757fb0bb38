// Cancels, whole or partial, of an approved payment or a recurring charge.
#include "simulator/gateway_rules.hpp"
#include "simulator/simulated_gateway.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace pillivery::simulator {

PaymentOutcome Gateway::Cancel(const CancelRequest& r) {
  Require(!r.cid.empty(), "cid");
  Require(!r.tid.empty(), "tid");
  Require(r.cancel_amount.has_value(), "cancel_amount");
  Require(r.cancel_tax_free_amount.has_value(), "cancel_tax_free_amount");

  std::lock_guard lock(mutex_);
  Payment p = FindPayment(r.cid, r.tid);
  if (p.status != kStatusSuccess && p.status != kStatusPartCancel) {
    throw GatewayError(codes::kNotCancellable, "payment is not cancellable: " + p.status);
  }
  std::int64_t cancel = *r.cancel_amount;
  std::int64_t tax_free = *r.cancel_tax_free_amount;
  if (cancel <= 0) throw GatewayError(codes::kBadAmount, "cancel_amount must be positive");
  if (tax_free < 0 || tax_free > cancel) {
    throw GatewayError(codes::kBadAmount, "cancel_tax_free_amount must be between 0 and cancel_amount");
  }
  if (cancel > p.CancelAvailable()) {
    throw GatewayError(codes::kCancelExceeds,
                       "cancel_amount exceeds the cancellable amount " + std::to_string(p.CancelAvailable()));
  }
  if (tax_free > p.amount.tax_free - p.canceled.tax_free) {
    throw GatewayError(codes::kCancelExceeds, "cancel_tax_free_amount exceeds the cancellable tax-free amount");
  }
  std::int64_t vat_left = p.amount.vat - p.canceled.vat;
  std::int64_t vat = cancel == p.CancelAvailable()
                         ? vat_left  // the last cancel takes whatever VAT is left
                         : std::min(vat_left, r.cancel_vat_amount.value_or(DefaultVat(cancel, tax_free)));
  if (vat < 0) throw GatewayError(codes::kBadAmount, "cancel_vat_amount must not be negative");

  TimePoint now = clock_.Now();
  Amount canceled_now;
  canceled_now.total = cancel;
  canceled_now.tax_free = tax_free;
  canceled_now.vat = vat;
  p.canceled.total += cancel;
  p.canceled.tax_free += tax_free;
  p.canceled.vat += vat;
  p.status = p.CancelAvailable() == 0 ? kStatusCancel : kStatusPartCancel;
  p.canceled_at = now;
  PaymentAction action{NewId('A'), "CANCEL", canceled_now, now, r.payload};
  p.actions.push_back(action);

  LedgerEntry entry{"CANCEL", p.tid, action.aid, p.sid, p.cid, p.partner_order_id, p.partner_user_id, cancel, now};
  Persist({{p}, {}, {entry}});
  ledger_.push_back(entry);
  payments_[p.tid] = p;
  return {std::move(p), std::move(action)};
}

}  // namespace pillivery::simulator
