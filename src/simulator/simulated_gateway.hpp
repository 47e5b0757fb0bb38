#pragma once
// The KakaoPay rules, without HTTP: ready → approval page → approve, recurring
// charges on a SID, cancels, lookups, and the ledger of money movements.
// Thread-safe (one mutex); every change is written to the Store before the
// method returns.
#include "infra/clock.hpp"
#include "simulator/model.hpp"
#include "simulator/store.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pillivery::simulator {

// Requests as the client sent them: an empty string or nullopt means the
// parameter was absent, so the Gateway (not the parser) decides what is required.
struct ReadyRequest {
  std::string cid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string item_name;
  std::string item_code;
  std::optional<std::int64_t> quantity;
  std::optional<std::int64_t> total_amount;
  std::optional<std::int64_t> tax_free_amount;
  std::optional<std::int64_t> vat_amount;
  std::string approval_url;
  std::string cancel_url;
  std::string fail_url;
  std::string payment_method_type;
  std::optional<std::int64_t> install_month;
};

struct ApproveRequest {
  std::string cid;
  std::string tid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string pg_token;
  std::string payload;
  std::optional<std::int64_t> total_amount;
};

struct SubscriptionRequest {
  std::string cid;
  std::string sid;
  std::string partner_order_id;
  std::string partner_user_id;
  std::string item_name;
  std::string item_code;
  std::optional<std::int64_t> quantity;
  std::optional<std::int64_t> total_amount;
  std::optional<std::int64_t> tax_free_amount;
  std::optional<std::int64_t> vat_amount;
  std::string payload;
};

struct CancelRequest {
  std::string cid;
  std::string tid;
  std::optional<std::int64_t> cancel_amount;
  std::optional<std::int64_t> cancel_tax_free_amount;
  std::optional<std::int64_t> cancel_vat_amount;
  std::optional<std::int64_t> cancel_available_amount;  // accepted, not enforced
  std::string payload;
};

// What the customer did on the approval page.
enum class PageAction { kApprove, kQuit, kFail };

// A payment together with the action an operation just added (its aid).
struct PaymentOutcome {
  Payment payment;
  PaymentAction action;
};

struct GatewayOptions {
  std::vector<std::string> one_time_cids{"TC0ONETIME"};
  std::vector<std::string> recurring_cids{"TCSUBSCRIP"};
  std::chrono::seconds ready_ttl{15 * 60};
  std::string seeded_sid_prefix = "SSEED";
};

class Gateway {
 public:
  // store may be null: then state lives in memory only.
  Gateway(const infra::Clock& clock, GatewayOptions options, std::unique_ptr<Store> store = nullptr);

  Payment Ready(const ReadyRequest& request);
  // The approval page: returns where the browser goes next (approval_url?pg_token=…,
  // cancel_url or fail_url?error_code=…).
  std::string Authenticate(const std::string& tid, PageAction action);
  PaymentOutcome Approve(const ApproveRequest& request);
  PaymentOutcome Charge(const SubscriptionRequest& request);
  PaymentOutcome Cancel(const CancelRequest& request);
  Payment Order(const std::string& cid, const std::string& tid) const;
  // For the approval page, which knows only the tid.
  std::optional<Payment> FindByTid(const std::string& tid) const;
  Sid InactivateSid(const std::string& cid, const std::string& sid);
  Sid SidStatus(const std::string& cid, const std::string& sid) const;

  std::vector<LedgerEntry> Ledger() const;
  void Reset();

  bool IsRecurringCid(const std::string& cid) const;
  TimePoint Now() const { return clock_.Now(); }

 private:
  bool IsKnownCid(const std::string& cid) const;
  bool IsSeededSid(const std::string& sid) const;
  bool Expired(const Payment& payment) const;
  std::string NewId(char prefix);
  std::string NewToken();
  Payment& FindPayment(const std::string& cid, const std::string& tid);
  // The SID record, creating the record of a pre-issued SSEED SID on first use.
  std::optional<Sid> LookupSid(const std::string& cid, const std::string& sid) const;
  void Persist(const StoreChanges& changes);

  const infra::Clock& clock_;
  GatewayOptions options_;
  std::unique_ptr<Store> store_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Payment> payments_;  // by tid
  std::unordered_map<std::string, Sid> sids_;
  // (sid, partner_order_id) of every successful recurring charge → tid: the -785 check.
  std::map<std::pair<std::string, std::string>, std::string> charges_;
  std::vector<LedgerEntry> ledger_;
  std::mt19937_64 rng_;
};

}  // namespace pillivery::simulator
