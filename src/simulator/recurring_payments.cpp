// Recurring charges on a SID and the SID's own endpoints (inactivate, status).
#include "simulator/gateway_rules.hpp"
#include "simulator/simulated_gateway.hpp"

#include <string>
#include <utility>

namespace pillivery::simulator {

bool Gateway::IsSeededSid(const std::string& sid) const {
  return !options_.seeded_sid_prefix.empty() && sid.starts_with(options_.seeded_sid_prefix);
}

std::optional<Sid> Gateway::LookupSid(const std::string& cid, const std::string& sid) const {
  if (auto it = sids_.find(sid); it != sids_.end()) {
    if (it->second.cid != cid && !IsSeededSid(sid)) return std::nullopt;
    return it->second;
  }
  if (!IsSeededSid(sid)) return std::nullopt;
  // Pre-issued by `pillivery seed`: active, any partner_user_id.
  Sid seeded;
  seeded.sid = sid;
  seeded.cid = cid;
  seeded.payment_method_type = "CARD";
  seeded.status = "ACTIVE";
  seeded.created_at = clock_.Now();
  return seeded;
}

PaymentOutcome Gateway::Charge(const SubscriptionRequest& r) {
  Require(!r.cid.empty(), "cid");
  Require(!r.sid.empty(), "sid");
  Require(!r.partner_order_id.empty(), "partner_order_id");
  Require(!r.partner_user_id.empty(), "partner_user_id");
  Require(r.quantity.has_value(), "quantity");
  Require(r.total_amount.has_value(), "total_amount");
  Require(r.tax_free_amount.has_value(), "tax_free_amount");
  if (!IsRecurringCid(r.cid)) throw GatewayError(codes::kBadCid, "not a recurring cid: " + r.cid);
  if (*r.quantity < 1) throw GatewayError(codes::kInvalidParameter, "quantity must be positive");
  Amount amount = ValidatedAmount(*r.total_amount, *r.tax_free_amount, r.vat_amount);

  std::lock_guard lock(mutex_);
  std::optional<Sid> sid = LookupSid(r.cid, r.sid);
  if (!sid) throw GatewayError(codes::kSidNotFound, "sid not found: " + r.sid);
  if (sid->status != "ACTIVE") throw GatewayError(codes::kSidInactive, "sid is inactive: " + r.sid);
  if (!IsSeededSid(r.sid) && sid->partner_user_id != r.partner_user_id) {
    throw GatewayError(codes::kSidUserMismatch, "partner_user_id differs from the SID-issuing ready");
  }
  if (charges_.count({r.sid, r.partner_order_id})) {
    throw GatewayError(codes::kDuplicate, "duplicate payment for sid and partner_order_id");
  }

  TimePoint now = clock_.Now();
  Payment p;
  p.tid = NewId('T');
  p.cid = r.cid;
  p.partner_order_id = r.partner_order_id;
  p.partner_user_id = r.partner_user_id;
  p.item_name = r.item_name.empty() ? sid->item_name : r.item_name;
  p.item_code = r.item_code;
  p.quantity = *r.quantity;
  p.amount = amount;
  p.status = kStatusSuccess;
  p.payment_method_type = sid->payment_method_type.empty() ? "CARD" : sid->payment_method_type;
  p.sid = r.sid;
  p.by_subscription = true;
  p.payload = r.payload;
  p.created_at = now;
  p.approved_at = now;
  PaymentAction action{NewId('A'), "PAYMENT", amount, now, r.payload};
  p.actions.push_back(action);
  sid->last_approved_at = now;

  LedgerEntry entry{"SUBSCRIPTION",    p.tid,        action.aid, p.sid, p.cid, p.partner_order_id,
                    p.partner_user_id, amount.total, now};
  Persist({{p}, {*sid}, {entry}});
  sids_[sid->sid] = *sid;
  charges_[{r.sid, r.partner_order_id}] = p.tid;
  ledger_.push_back(entry);
  payments_[p.tid] = p;
  return {std::move(p), std::move(action)};
}

Sid Gateway::InactivateSid(const std::string& cid, const std::string& sid_id) {
  Require(!cid.empty(), "cid");
  Require(!sid_id.empty(), "sid");
  if (!IsRecurringCid(cid)) throw GatewayError(codes::kBadCid, "not a recurring cid: " + cid);
  std::lock_guard lock(mutex_);
  std::optional<Sid> sid = LookupSid(cid, sid_id);
  if (!sid) throw GatewayError(codes::kSidNotFound, "sid not found: " + sid_id);
  if (sid->status != "ACTIVE") throw GatewayError(codes::kSidInactive, "sid is already inactive: " + sid_id);
  sid->status = "INACTIVE";
  sid->inactivated_at = clock_.Now();
  Persist({{}, {*sid}, {}});
  sids_[sid->sid] = *sid;
  return *sid;
}

Sid Gateway::SidStatus(const std::string& cid, const std::string& sid_id) const {
  Require(!cid.empty(), "cid");
  Require(!sid_id.empty(), "sid");
  if (!IsRecurringCid(cid)) throw GatewayError(codes::kBadCid, "not a recurring cid: " + cid);
  std::lock_guard lock(mutex_);
  std::optional<Sid> sid = LookupSid(cid, sid_id);
  if (!sid) throw GatewayError(codes::kSidNotFound, "sid not found: " + sid_id);
  return *sid;
}

}  // namespace pillivery::simulator
