// A one-time payment's way: ready → approval page → approve (a recurring CID's
// approve also issues the SID), and the lookups of a payment.
#include "infra/percent_encoding.hpp"
#include "simulator/gateway_rules.hpp"
#include "simulator/simulated_gateway.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pillivery::simulator {
namespace {

std::string PercentEncode(const std::string& text) { return infra::PercentEncode(text); }

std::string WithQuery(std::string url, const std::vector<std::pair<std::string, std::string>>& params) {
  // Keep a fragment at the end, where browsers expect it.
  std::string fragment;
  if (auto hash = url.find('#'); hash != std::string::npos) {
    fragment = url.substr(hash);
    url.erase(hash);
  }
  for (const auto& [name, value] : params) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += PercentEncode(name) + "=" + PercentEncode(value);
  }
  return url + fragment;
}

}  // namespace

Payment Gateway::Ready(const ReadyRequest& r) {
  Require(!r.cid.empty(), "cid");
  Require(!r.partner_order_id.empty(), "partner_order_id");
  Require(!r.partner_user_id.empty(), "partner_user_id");
  Require(!r.item_name.empty(), "item_name");
  Require(r.quantity.has_value(), "quantity");
  Require(r.total_amount.has_value(), "total_amount");
  Require(r.tax_free_amount.has_value(), "tax_free_amount");
  Require(!r.approval_url.empty(), "approval_url");
  Require(!r.cancel_url.empty(), "cancel_url");
  Require(!r.fail_url.empty(), "fail_url");
  if (!IsKnownCid(r.cid)) throw GatewayError(codes::kBadCid, "invalid cid: " + r.cid);
  if (*r.quantity < 1) throw GatewayError(codes::kInvalidParameter, "quantity must be positive");
  if (!r.payment_method_type.empty() && r.payment_method_type != "CARD" && r.payment_method_type != "MONEY") {
    throw GatewayError(codes::kInvalidParameter, "payment_method_type must be CARD or MONEY");
  }
  Amount amount = ValidatedAmount(*r.total_amount, *r.tax_free_amount, r.vat_amount);

  std::lock_guard lock(mutex_);
  Payment p;
  p.tid = NewId('T');
  p.cid = r.cid;
  p.partner_order_id = r.partner_order_id;
  p.partner_user_id = r.partner_user_id;
  p.item_name = r.item_name;
  p.item_code = r.item_code;
  p.quantity = *r.quantity;
  p.install_month = r.install_month.value_or(0);
  p.amount = amount;
  p.status = kStatusReady;
  p.payment_method_type = r.payment_method_type.empty() ? "CARD" : r.payment_method_type;
  p.approval_url = r.approval_url;
  p.cancel_url = r.cancel_url;
  p.fail_url = r.fail_url;
  p.created_at = clock_.Now();
  Persist({{p}, {}, {}});
  payments_[p.tid] = p;
  return p;
}

std::string Gateway::Authenticate(const std::string& tid, PageAction action) {
  std::lock_guard lock(mutex_);
  auto it = payments_.find(tid);
  if (it == payments_.end()) throw GatewayError(codes::kTidNotFound, "tid not found: " + tid);
  Payment p = it->second;
  if (!WaitingForApproval(p)) {
    throw GatewayError(codes::kNotApprovable, "payment is not waiting for approval: " + p.status);
  }
  std::string location;
  if (Expired(p)) {
    p.status = kStatusFail;
    location = WithQuery(p.fail_url, {{"error_code", std::to_string(codes::kExpired)},
                                      {"error_message", "payment expired"},
                                      {"method_result_code", ""},
                                      {"method_result_message", ""}});
  } else if (action == PageAction::kApprove) {
    if (p.pg_token.empty()) p.pg_token = NewToken();
    p.status = kStatusAuthenticated;
    location = WithQuery(p.approval_url, {{"pg_token", p.pg_token}});
  } else if (action == PageAction::kQuit) {
    p.status = kStatusQuit;
    location = p.cancel_url;
  } else {
    p.status = kStatusFail;
    location = WithQuery(p.fail_url, {{"error_code", std::to_string(codes::kApproveFailed)},
                                      {"error_message", "payment failed"},
                                      {"method_result_code", "INSUFFICIENT_BALANCE"},
                                      {"method_result_message", "insufficient balance"}});
  }
  Persist({{p}, {}, {}});
  it->second = std::move(p);
  return location;
}

PaymentOutcome Gateway::Approve(const ApproveRequest& r) {
  Require(!r.cid.empty(), "cid");
  Require(!r.tid.empty(), "tid");
  Require(!r.partner_order_id.empty(), "partner_order_id");
  Require(!r.partner_user_id.empty(), "partner_user_id");
  Require(!r.pg_token.empty(), "pg_token");

  std::lock_guard lock(mutex_);
  Payment p = FindPayment(r.cid, r.tid);
  if (r.partner_order_id != p.partner_order_id) {
    throw GatewayError(codes::kOrderIdMismatch, "partner_order_id differs from ready");
  }
  if (r.partner_user_id != p.partner_user_id) {
    throw GatewayError(codes::kUserIdMismatch, "partner_user_id differs from ready");
  }
  if (Approved(p)) throw GatewayError(codes::kAlreadyApproved, "payment already approved");
  if (Expired(p)) throw GatewayError(codes::kExpired, "payment expired");
  if (p.status == kStatusReady) {
    throw GatewayError(codes::kNotAuthenticated, "the user has not finished authentication");
  }
  if (p.status != kStatusAuthenticated) {
    throw GatewayError(codes::kNotApprovable, "payment is not approvable: " + p.status);
  }
  if (r.pg_token != p.pg_token) throw GatewayError(codes::kBadPgToken, "invalid pg_token");
  if (r.total_amount && *r.total_amount != p.amount.total) {
    throw GatewayError(codes::kBadAmount, "total_amount differs from ready");
  }

  TimePoint now = clock_.Now();
  bool recurring = IsRecurringCid(p.cid);
  PaymentAction action;
  action.aid = NewId('A');
  // A zero-amount recurring approve only registers the SID (KakaoPay's ISSUED_SID).
  action.type = recurring && p.amount.total == 0 ? "ISSUED_SID" : "PAYMENT";
  action.amount = p.amount;
  action.approved_at = now;
  action.payload = r.payload;
  p.status = action.type == "ISSUED_SID" ? kStatusIssuedSid : kStatusSuccess;
  p.approved_at = now;
  p.payload = r.payload;
  p.actions.push_back(action);

  StoreChanges changes;
  if (recurring) {
    Sid sid;
    sid.sid = NewId('S');
    sid.cid = p.cid;
    sid.partner_user_id = p.partner_user_id;
    sid.item_name = p.item_name;
    sid.payment_method_type = p.payment_method_type;
    sid.status = "ACTIVE";
    sid.created_at = now;
    if (p.amount.total > 0) sid.last_approved_at = now;
    p.sid = sid.sid;
    changes.sids.push_back(sid);
  }
  LedgerEntry entry{"APPROVE",         p.tid,          action.aid, p.sid, p.cid, p.partner_order_id,
                    p.partner_user_id, p.amount.total, now};
  changes.payments.push_back(p);
  changes.ledger.push_back(entry);
  Persist(changes);
  for (auto& sid : changes.sids) sids_[sid.sid] = sid;
  ledger_.push_back(entry);
  payments_[p.tid] = p;
  return {std::move(p), std::move(action)};
}

Payment Gateway::Order(const std::string& cid, const std::string& tid) const {
  Require(!cid.empty(), "cid");
  Require(!tid.empty(), "tid");
  std::lock_guard lock(mutex_);
  auto it = payments_.find(tid);
  if (it == payments_.end() || it->second.cid != cid) {
    throw GatewayError(codes::kTidNotFound, "tid not found: " + tid);
  }
  Payment p = it->second;
  // An unapproved ready past its lifetime can no longer succeed; say so.
  if (WaitingForApproval(p) && Expired(p)) p.status = kStatusFail;
  return p;
}

std::optional<Payment> Gateway::FindByTid(const std::string& tid) const {
  std::lock_guard lock(mutex_);
  auto it = payments_.find(tid);
  if (it == payments_.end()) return std::nullopt;
  return it->second;
}

}  // namespace pillivery::simulator
