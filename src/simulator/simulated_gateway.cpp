#include "simulator/simulated_gateway.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace pillivery::simulator {

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

void Gateway::Persist(const StoreChanges& changes) {
  if (store_) store_->Apply(changes);
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
