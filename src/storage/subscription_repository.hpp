#pragma once
// Subscriptions, their charge attempts and the billing job's runs.
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "domain/order.hpp"
#include "domain/subscription.hpp"
#include "storage/database.hpp"
#include "storage/order_repository.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>
#include <optional>
#include <span>
#include <vector>

namespace pillivery::storage {

struct SubscriptionPage {
  std::vector<domain::Subscription> subscriptions;
  std::int64_t total = 0;
};

struct Charge {
  std::int64_t id = 0;
  std::int64_t subscription_id = 0;
  domain::Date due_date;
  int attempt = 0;
  std::string partner_order_id;
  std::int64_t amount = 0;
  domain::ChargeResult result = domain::ChargeResult::kPending;  // kPending while a worker holds the claim
  std::optional<std::string> decline_code;
  std::optional<std::string> tid;
  std::optional<std::int64_t> renewal_order_id;
  std::int64_t claimed_at_ms = 0;
  std::string at;
};

// What one charge request needs, read in one query: the subscription, the item
// fields the charge and its renewal line take, and this attempt's row if it exists.
struct ChargeContext {
  domain::Subscription subscription;
  domain::Price item_price;
  std::string item_thumbnail_url;
  domain::Receiver receiver;  // the subscription's delivery address: where the renewal goes
  std::optional<Charge> charge;
};

// The attempt a charge request is about.
struct ChargeKey {
  std::int64_t subscription_id = 0;
  domain::Date due_date;
  int attempt = 1;
};

// One attempt's claim in a grouped InsertClaims.
struct ClaimRow {
  Charge* claim = nullptr;  // id and result (PENDING) are set when the group is written
  std::int64_t item_id = 0;
  int quantity = 0;
};

// What a finished attempt changes, as plain values (RecordOutcome, RecordOutcomes,
// RecordOutOfStock): decided by the billing service, applied by storage.
struct OutcomeRow {
  Charge* outcome = nullptr;  // its id is set by RecordOutOfStock; renewal_order_id when a renewal is written
  domain::Subscription seen;  // as the charge read it
  domain::CycleRule rule;     // what the outcome does to the subscription (ApplyPaid, ApplySoftDecline…)
  domain::Subscription next;  // set when recorded: the subscription as saved
  // PAID: the renewal order, written first (its id goes to the attempt's row).
  std::optional<Renewal> renewal;
  int stock_back = 0;  // given back to the item (a declined cycle ships nothing)
};

struct ChargePage {
  std::vector<Charge> charges;
  std::int64_t total = 0;
};

struct BatchRun {
  std::int64_t id = 0;
  std::string run_date;
  std::string started_at;
  std::optional<std::string> finished_at;
  domain::BillingRunStatus status = domain::BillingRunStatus::kRunning;
  int due = 0, paid = 0, soft_declined = 0, hard_declined = 0, unknown = 0, skipped = 0, errors = 0;
};

// A subscription due for a charge and the cycle it is in (the next attempt is cycle_attempts + 1).
struct DueCycle {
  std::int64_t subscription_id = 0;
  domain::Date next_payment_date;
  int cycle_attempts = 0;
};

// An attempt left open (UNKNOWN, or PENDING from a worker that died) that the due
// list does not reach: its subscription ended, paused or moved to another cycle
// since. It is settled by sending the same partner_order_id again.
struct OpenAttempt {
  std::int64_t subscription_id = 0;
  domain::Date due_date;
  int attempt = 0;
};

// Which live (ACTIVE, PAUSED, PAST_DUE) subscriptions an ending closes: those
// an order created, or every one of a user. At least one is set.
struct EndScope {
  std::optional<std::int64_t> source_order_id;
  std::optional<std::int64_t> user_id;
};

// What an ending changed: the subscriptions it closed, and the SIDs no live
// subscription uses any more (to inactivate at the gateway through the outbox).
struct EndedSubscriptions {
  std::vector<std::int64_t> ids;
  std::vector<std::string> released_sids;
};

class SubscriptionRepository {
 public:
  explicit SubscriptionRepository(Database& db) : db_(db) {}

  // One subscription per line of a paid SUBSCRIPTION order, in the caller's unit of work.
  std::vector<std::int64_t> CreateForOrder(UnitOfWork& work, const domain::Order& order, const std::string& sid,
                                           const std::string& cid, const std::string& partner_user_id,
                                           domain::Date today, const std::string& now_iso);

  std::optional<domain::Subscription> Find(std::int64_t id);
  SubscriptionPage List(std::optional<std::int64_t> user_id, std::optional<domain::SubscriptionStatus> status,
                        std::optional<domain::Date> due_on, const domain::PageRequest& page);
  // The owner's edits, in the caller's unit of work: the subscription read
  // under lock (nullopt when missing), then saved as the domain rule left it
  // (updated_at: `now_iso`, from the caller's clock).
  std::optional<domain::Subscription> FindForUpdate(UnitOfWork& work, std::int64_t id);
  void Save(UnitOfWork& work, const domain::Subscription& subscription, const std::string& now_iso);
  // Chargeable subscriptions whose next attempt is due on or before `date`, by id
  // after `after_id`, with the cycle each is in: one query per page of the batch.
  std::vector<DueCycle> DueCycles(domain::Date date, std::int64_t after_id, int limit);
  // Open attempts whose subscription is not on that cycle any more (ended, paused,
  // moved on): the daily run settles them too. Few; read whole.
  std::vector<OpenAttempt> StrandedAttempts();
  std::int64_t CountDue(domain::Date date);
  // Ids of the user's subscriptions that are not terminal (withdrawal cancels them).
  std::vector<std::int64_t> OpenIdsOfUser(std::int64_t user_id);

  // In the caller's unit of work: every live subscription of `scope` becomes
  // CANCELLED, then each of their SIDs is released (ReleaseSid).
  static EndedSubscriptions EndLive(UnitOfWork& work, const EndScope& scope, const std::string& now_iso);
  // In the caller's unit of work, after a subscription using `sid` ended: locks
  // the SID's payment_methods row, then counts the SID's live subscriptions and
  // open (PENDING or UNKNOWN) attempts. True (and the row marked INACTIVE) when
  // none is left and the SID was still active: the caller inactivates it at the
  // gateway. Of two siblings ending at
  // once, the lock lets exactly one of them see that it was the last.
  static bool ReleaseSid(UnitOfWork& work, const std::string& sid, const std::string& now_iso);

  // Charges.
  std::optional<Charge> FindCharge(std::int64_t subscription_id, domain::Date due_date, int attempt);
  // The subscription (nullopt when missing), its item's price and thumbnail, and
  // the row of (subscription, due_date, attempt) if there is one — one query.
  std::optional<ChargeContext> FindForCharge(std::int64_t subscription_id, domain::Date due_date, int attempt);
  enum class ClaimResult { kClaimed, kTaken, kOutOfStock, kNotChargeable };
  // Inserts the PENDING claim of one attempt and reserves the cycle's stock in
  // one transaction; kTaken when another claim exists (a unique index decides);
  // kNotChargeable when, read under lock, the subscription is no longer ACTIVE or
  // PAST_DUE or its user has withdrawn (a withdrawal ends the subscriptions in
  // its own transaction, so a claim either sees that or holds the row first).
  // On kClaimed, claim.id and claim.result (PENDING) are set.
  ClaimResult InsertClaim(Charge& claim, std::int64_t item_id, int quantity);
  // Drops a PENDING claim whose request never reached the gateway, and gives its stock back.
  void ReleaseClaim(std::int64_t charge_id, std::int64_t item_id, int quantity);
  // Takes over an UNKNOWN attempt, or a PENDING claim older than `stale_before_ms`
  // (its worker died), marking it PENDING for this caller; false if someone else holds it.
  bool TakeOverClaim(std::int64_t charge_id, std::int64_t stale_before_ms, std::int64_t now_ms);
  // Records a finished attempt (PAID or declined) in the caller's unit of work,
  // only while it is still open (PENDING/UNKNOWN): `row.renewal` (its id goes to
  // outcome.renewal_order_id), the attempt's result — a fenced update, so of two
  // workers one records and the other gets false (the caller rolls back, and
  // nothing is kept) — then the subscription moved on by `row.rule`, then the
  // stock given back. `row.seen` is the subscription as the caller read it:
  // while the row still holds those values it is updated without being read
  // again; otherwise it is read FOR UPDATE and the rule applied to what is
  // there. Sets row.next to the subscription as saved (the caller's events).
  bool RecordOutcome(UnitOfWork& work, OutcomeRow& row);
  // Records an attempt whose stock could not be reserved (nothing was sent to
  // the gateway) in the caller's unit of work: its row, result OUT_OF_STOCK (a
  // unique index, so of two workers one records and the other gets false and
  // rolls back), the subscription moved on by `row.rule` (fenced on `row.seen`
  // as in RecordOutcome). Sets outcome.id and row.next.
  bool RecordOutOfStock(UnitOfWork& work, OutcomeRow& row);
  // Keeps an attempt open as UNKNOWN (the send's outcome is not known), with its
  // stock; one fenced statement. False when the attempt was already finished.
  bool RecordUnknown(const Charge& outcome);

  // Grouped forms of the three steps above, for the concurrent charges of a
  // billing run (group commit: a few statements serve a whole group). Each is
  // all or nothing; the caller falls back to the one-charge forms.
  //
  // The contexts of several attempts, in the order of `keys` (nullopt: no such subscription).
  std::vector<std::optional<ChargeContext>> FindForCharges(std::span<const ChargeKey> keys);
  // InsertClaim for attempts of distinct subscriptions in one transaction.
  // False, with nothing written, when any attempt is claimed already, any
  // subscription is not chargeable (as InsertClaim) or any item is short of stock.
  bool InsertClaims(std::span<const ClaimRow> claims);
  // RecordOutcome for attempts of distinct subscriptions in the caller's unit
  // of work: the renewal orders, the attempts' results, the subscriptions moved
  // on by their rules (each row's `next`), stock given back. False when any
  // attempt is no longer open or any subscription no longer holds what `seen`
  // read: the caller rolls back, so nothing of the group is kept.
  bool RecordOutcomes(UnitOfWork& work, std::span<OutcomeRow> rows);
  ChargePage Charges(std::int64_t subscription_id, const domain::PageRequest& page);

  // Billing runs.
  std::int64_t StartRun(const std::string& run_date, const std::string& now_iso);
  void FinishRun(const BatchRun& run);
  std::vector<BatchRun> Runs(const domain::PageRequest& page, std::int64_t& total);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
