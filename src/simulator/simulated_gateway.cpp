#include "simulator/simulated_gateway.hpp"
#include "infra/percent_encoding.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace pillivery::simulator {
namespace {

constexpr const char* kStatusReady = "READY";
constexpr const char* kStatusAuthenticated = "AUTH_PASSWORD";
constexpr const char* kStatusIssuedSid = "ISSUED_SID";
constexpr const char* kStatusSuccess = "SUCCESS_PAYMENT";
constexpr const char* kStatusPartCancel = "PART_CANCEL_PAYMENT";
constexpr const char* kStatusCancel = "CANCEL_PAYMENT";
constexpr const char* kStatusQuit = "QUIT_PAYMENT";
constexpr const char* kStatusFail = "FAIL_PAYMENT";

void Require(bool present, const char* name) {
  if (!present) {
    throw GatewayError(codes::kInvalidParameter, std::string("required parameter missing: ") + name);
  }
}

bool WaitingForApproval(const Payment& p) { return p.status == kStatusReady || p.status == kStatusAuthenticated; }

bool Approved(const Payment& p) {
  return p.status == kStatusSuccess || p.status == kStatusIssuedSid || p.status == kStatusPartCancel ||
         p.status == kStatusCancel;
}

// KakaoPay's default: VAT is one eleventh of the taxable part, rounded.
std::int64_t DefaultVat(std::int64_t total, std::int64_t tax_free) { return (total - tax_free + 5) / 11; }

Amount ValidatedAmount(std::int64_t total, std::int64_t tax_free, std::optional<std::int64_t> vat) {
  if (total < 0) throw GatewayError(codes::kBadAmount, "total_amount must not be negative");
  if (tax_free < 0 || tax_free > total) {
    throw GatewayError(codes::kBadAmount, "tax_free_amount must be between 0 and total_amount");
  }
  Amount amount;
  amount.total = total;
  amount.tax_free = tax_free;
  amount.vat = vat.value_or(DefaultVat(total, tax_free));
  if (amount.vat < 0 || amount.vat > total - tax_free) {
    throw GatewayError(codes::kBadAmount, "vat_amount must be between 0 and the taxable amount");
  }
  return amount;
}

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

Gateway::Gateway(const infra::Clock& clock, GatewayOptions options, std::unique_ptr<Store> store)
    : clock_(clock), options_(std::move(options)), store_(std::move(store)), rng_(std::random_device{}()) {
  if (!store_) return;
  StoreSnapshot snapshot = store_->Load();
  for (auto& payment : snapshot.payments) {
    if (payment.by_subscription && !payment.sid.empty()) {
      charges_[{payment.sid, payment.partner_order_id}] = payment.tid;
    }
    std::string tid = payment.tid;
    payments_.emplace(std::move(tid), std::move(payment));
  }
  for (auto& sid : snapshot.sids) {
    std::string key = sid.sid;
    sids_.emplace(std::move(key), std::move(sid));
  }
  ledger_ = std::move(snapshot.ledger);
}

bool Gateway::IsRecurringCid(const std::string& cid) const {
  return std::find(options_.recurring_cids.begin(), options_.recurring_cids.end(), cid) !=
         options_.recurring_cids.end();
}

bool Gateway::IsKnownCid(const std::string& cid) const {
  return IsRecurringCid(cid) ||
         std::find(options_.one_time_cids.begin(), options_.one_time_cids.end(), cid) != options_.one_time_cids.end();
}

bool Gateway::IsSeededSid(const std::string& sid) const {
  return !options_.seeded_sid_prefix.empty() && sid.starts_with(options_.seeded_sid_prefix);
}

bool Gateway::Expired(const Payment& payment) const { return clock_.Now() >= payment.created_at + options_.ready_ttl; }

std::string Gateway::NewId(char prefix) {
  // 19 digits without a leading zero, unique among the ids of that kind.
  std::uniform_int_distribution<std::uint64_t> digits(1'000'000'000'000'000'000ULL, 9'999'999'999'999'999'999ULL);
  for (;;) {
    std::string id = prefix + std::to_string(digits(rng_));
    if (prefix == 'T' && payments_.count(id)) continue;
    if (prefix == 'S' && sids_.count(id)) continue;
    return id;
  }
}

std::string Gateway::NewToken() {
  static const char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::uniform_int_distribution<int> pick(0, 35);
  std::string token(20, '0');
  for (auto& c : token) c = kAlphabet[pick(rng_)];
  return token;
}

Payment& Gateway::FindPayment(const std::string& cid, const std::string& tid) {
  auto it = payments_.find(tid);
  // A tid of another CID is as unknown as one that never existed.
  if (it == payments_.end() || it->second.cid != cid) {
    throw GatewayError(codes::kTidNotFound, "tid not found: " + tid);
  }
  return it->second;
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

void Gateway::Persist(const StoreChanges& changes) {
  if (store_) store_->Apply(changes);
}

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

std::vector<LedgerEntry> Gateway::Ledger() const {
  std::lock_guard lock(mutex_);
  return ledger_;
}

void Gateway::Reset() {
  std::lock_guard lock(mutex_);
  if (store_) store_->Clear();
  payments_.clear();
  sids_.clear();
  charges_.clear();
  ledger_.clear();
}

}  // namespace pillivery::simulator
