#include "storage/subscription_repository.hpp"

#include "domain/error.hpp"
#include "storage/order_counts.hpp"
#include "storage/row_reader.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/subscription_rows.hpp"
#include "storage/unit_of_work_session.hpp"

#include <stdexcept>

namespace pillivery::storage {

using domain::Date;
using domain::Subscription;

// One charge attempt at a time: its claim, its outcome (fenced), its reads.

namespace {
// MariaDB only (a multiple-table UPDATE): the attempt's result and the
// subscription's new state in one statement, which changes both rows only when
// the attempt is still open AND the subscription still holds what `seen` read —
// the two conditions the separate statements check. False (nothing changed):
// the caller checks them one at a time to tell which failed.
bool CloseAndSaveIfUnchanged(soci::session& s, const Charge& c, const Subscription& seen, const Subscription& next) {
  long long id = c.id, amount = c.amount, renewal = c.renewal_order_id.value_or(0), sub_id = seen.id;
  soci::indicator code_ind = c.decline_code ? soci::i_ok : soci::i_null;
  soci::indicator tid_ind = c.tid ? soci::i_ok : soci::i_null;
  soci::indicator renewal_ind = c.renewal_order_id ? soci::i_ok : soci::i_null;
  std::string code = c.decline_code.value_or(""), tid = c.tid.value_or("");
  std::string result(domain::CodeOf(c.result));
  BillingColumns to(next), was(seen);
  int quantity = seen.quantity, period = seen.period;
  // Rows are taken in the order written, the attempt's first (as the two-statement path does).
  soci::statement st =
      (s.prepare << "UPDATE subscription_charges c STRAIGHT_JOIN subscriptions s ON s.id = c.subscription_id "
                    "SET c.result = :r, c.decline_code = :c, c.tid = :t, c.amount = :m, c.at = :at, "
                    "c.renewal_order_id = :o, s.status = :s, s.last_paid_date = :l, s.next_payment_date = :n, "
                    "s.cycle_attempts = :a, s.next_attempt_date = :d, s.updated_at = :u "
                    "WHERE c.id = :id AND c.result IN ('PENDING', 'UNKNOWN') AND s.id = :sid AND s.status = :os "
                    "AND s.last_paid_date = :ol AND s.next_payment_date = :on AND s.cycle_attempts = :oa AND "
                    "s.next_attempt_date = :od AND s.quantity = :oq AND s.period = :op",
       soci::use(result), soci::use(code, code_ind), soci::use(tid, tid_ind), soci::use(amount), soci::use(c.at),
       soci::use(renewal, renewal_ind), soci::use(to.status), soci::use(to.last), soci::use(to.pay),
       soci::use(to.attempts), soci::use(to.attempt_date), soci::use(c.at), soci::use(id), soci::use(sub_id),
       soci::use(was.status), soci::use(was.last), soci::use(was.pay), soci::use(was.attempts),
       soci::use(was.attempt_date), soci::use(quantity), soci::use(period));
  st.execute(true);
  // Both rows matched (the result always changes, so at least that row counts).
  return st.get_affected_rows() > 0;
}

}  // namespace

std::optional<Charge> SubscriptionRepository::FindCharge(std::int64_t subscription_id, Date due_date, int attempt) {
  auto lease = db_.Acquire();
  long long sid = subscription_id;
  std::string due = due_date.ToString();
  soci::rowset<soci::row> rows =
      (lease->prepare << std::string("SELECT ") + kChargeColumns +
                             " FROM subscription_charges WHERE subscription_id = :s AND due_date = :d AND attempt = :a",
       soci::use(sid), soci::use(due), soci::use(attempt));
  for (const auto& r : rows) return ReadCharge(r);
  return std::nullopt;
}

std::optional<ChargeContext> SubscriptionRepository::FindForCharge(std::int64_t subscription_id, Date due_date,
                                                                   int attempt) {
  const ChargeKey key{subscription_id, due_date, attempt};
  return FindForCharges(std::span<const ChargeKey>(&key, 1)).front();
}

SubscriptionRepository::ClaimResult SubscriptionRepository::InsertClaim(Charge& c, std::int64_t item_id, int quantity) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long sid = c.subscription_id, amount = c.amount, claimed = c.claimed_at_ms, item = item_id, q = quantity;
  std::string due = c.due_date.ToString();
  int attempt = c.attempt;
  try {
    s << "INSERT INTO subscription_charges(subscription_id, due_date, attempt, partner_order_id, amount, result, "
         "claimed_at_ms, at) VALUES(:s, :d, :a, :p, :m, 'PENDING', :c, :t)",
        soci::use(sid), soci::use(due), soci::use(attempt), soci::use(c.partner_order_id), soci::use(amount),
        soci::use(claimed), soci::use(c.at);
  } catch (const soci::soci_error&) {
    return ClaimResult::kTaken;  // the unique (subscription, due date, attempt) index: someone else claimed it
  }
  const std::int64_t id = LastInsertId(s, db_.GetDialect());
  {
    // Under the subscription's row lock: a withdrawal or cancel that ended it
    // has committed, or waits for this claim. A withdrawn user is never charged.
    long long chargeable = 0;
    s << std::string(
             "SELECT COUNT(*) FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE s.id = :s AND "
             "s.status IN ('ACTIVE', 'PAST_DUE') AND u.status = 'ACTIVE'") +
             ForUpdate(db_.GetDialect()),
        soci::use(sid), soci::into(chargeable);
    if (chargeable == 0) return ClaimResult::kNotChargeable;  // rolls the claim back
  }
  if (!StockLedger::Reserve(s, item, q)) return ClaimResult::kOutOfStock;  // rolls the claim back too
  tx.Commit();
  c.id = id;
  c.result = domain::ChargeResult::kPending;
  return ClaimResult::kClaimed;
}

void SubscriptionRepository::ReleaseClaim(std::int64_t charge_id, std::int64_t item_id, int quantity) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long id = charge_id, item = item_id, q = quantity;
  soci::statement del =
      (s.prepare << "DELETE FROM subscription_charges WHERE id = :id AND result = 'PENDING'", soci::use(id));
  del.execute(true);
  if (del.get_affected_rows() == 1) StockLedger(db_).GiveBack(s, item, q);
  tx.Commit();
}

bool SubscriptionRepository::TakeOverClaim(std::int64_t charge_id, std::int64_t stale_before_ms, std::int64_t now_ms) {
  auto lease = db_.Acquire();
  long long id = charge_id, stale = stale_before_ms, now = now_ms;
  soci::statement st =
      (lease->prepare << "UPDATE subscription_charges SET result = 'PENDING', claimed_at_ms = :n WHERE id = :id AND "
                         "(result = 'UNKNOWN' OR (result = 'PENDING' AND claimed_at_ms < :s))",
       soci::use(now), soci::use(id), soci::use(stale));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool SubscriptionRepository::RecordOutcome(UnitOfWork& work, OutcomeRow& row) {
  soci::session& s = SessionOf(work);
  const auto dialect = work.GetDialect();
  Charge& c = *row.outcome;
  const Subscription& seen = row.seen;
  // The renewal order first, so that the attempt's row is written once, with its id.
  c.renewal_order_id.reset();
  if (row.renewal) c.renewal_order_id = OrderRepository::InsertRenewals(work, std::span(&*row.renewal, 1)).front();
  long long id = c.id, amount = c.amount, renewal = c.renewal_order_id.value_or(0);
  soci::indicator code_ind = c.decline_code ? soci::i_ok : soci::i_null;
  soci::indicator tid_ind = c.tid ? soci::i_ok : soci::i_null;
  soci::indicator renewal_ind = c.renewal_order_id ? soci::i_ok : soci::i_null;
  std::string code = c.decline_code.value_or(""), tid = c.tid.value_or("");
  std::string result(domain::CodeOf(c.result));
  Subscription next = seen;
  domain::ApplyRule(next, row.rule);
  auto give_back = [&] {
    if (row.stock_back > 0) StockLedger(db_).GiveBack(s, seen.item_id, row.stock_back);
  };
  auto renewal_payment = [&] {
    if (row.renewal)
      OrderRepository::InsertRenewalPayments(work, std::span(&*row.renewal, 1),
                                             std::span<const std::int64_t>(&*c.renewal_order_id, 1));
  };
  auto count_renewal = [&] {
    if (!row.renewal) return;
    const std::int64_t account[] = {row.renewal->user_id};
    OrderCounts::Add(s, dialect, account);  // the last write: see order_counts.hpp
  };
  if (dialect == Dialect::kMariaDb && CloseAndSaveIfUnchanged(s, c, seen, next)) {
    renewal_payment();
    give_back();
    count_renewal();
    row.next = next;
    return true;
  }
  // The fence: of two workers recording one attempt, the second waits on this
  // row, then finds it closed and rolls back everything it wrote.
  soci::statement close =
      (s.prepare << "UPDATE subscription_charges SET result = :r, decline_code = :c, tid = :t, amount = :m, at = :at, "
                    "renewal_order_id = :o WHERE id = :id AND result IN ('PENDING', 'UNKNOWN')",
       soci::use(result), soci::use(code, code_ind), soci::use(tid, tid_ind), soci::use(amount), soci::use(c.at),
       soci::use(renewal, renewal_ind), soci::use(id));
  close.execute(true);
  if (close.get_affected_rows() == 0) {
    c.renewal_order_id.reset();
    return false;  // the caller rolls the renewal order back
  }
  renewal_payment();
  if (!SaveBillingIfUnchanged(s, seen, next, c.at)) {
    // Changed since the caller read it (paused, quantity changed…): apply the rule to what is there.
    auto current = FindSubscriptionIn(s, c.subscription_id, true, dialect);
    if (!current) throw domain::Error(domain::ErrorCode::kSubscriptionNotFound, "No such subscription.");
    domain::ApplyRule(*current, row.rule);
    SaveSubscription(s, *current, c.at);
    next = *current;
  }
  give_back();
  count_renewal();
  row.next = next;
  return true;
}

bool SubscriptionRepository::RecordOutOfStock(UnitOfWork& work, OutcomeRow& row) {
  soci::session& s = SessionOf(work);
  const auto dialect = work.GetDialect();
  Charge& c = *row.outcome;
  const Subscription& seen = row.seen;
  long long sid = c.subscription_id, amount = c.amount, claimed = c.claimed_at_ms;
  std::string due = c.due_date.ToString(), result(domain::CodeOf(c.result));
  int attempt = c.attempt;
  try {
    s << "INSERT INTO subscription_charges(subscription_id, due_date, attempt, partner_order_id, amount, result, "
         "claimed_at_ms, at) VALUES(:s, :d, :a, :p, :m, :r, :c, :t)",
        soci::use(sid), soci::use(due), soci::use(attempt), soci::use(c.partner_order_id), soci::use(amount),
        soci::use(result), soci::use(claimed), soci::use(c.at);
  } catch (const soci::soci_error&) {
    return false;  // the attempt is claimed or recorded by another worker
  }
  c.id = LastInsertId(s, dialect);
  Subscription next = seen;
  domain::ApplyRule(next, row.rule);
  if (!SaveBillingIfUnchanged(s, seen, next, c.at)) {
    auto current = FindSubscriptionIn(s, c.subscription_id, true, dialect);
    if (!current) throw domain::Error(domain::ErrorCode::kSubscriptionNotFound, "No such subscription.");
    domain::ApplyRule(*current, row.rule);
    SaveSubscription(s, *current, c.at);
    next = *current;
  }
  row.next = next;
  return true;
}

bool SubscriptionRepository::RecordUnknown(const Charge& c) {
  auto lease = db_.Acquire();
  long long id = c.id, amount = c.amount;
  soci::statement st =
      (lease->prepare << "UPDATE subscription_charges SET result = 'UNKNOWN', amount = :m, at = :at WHERE id = :id "
                         "AND result IN ('PENDING', 'UNKNOWN')",
       soci::use(amount), soci::use(c.at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

ChargePage SubscriptionRepository::Charges(std::int64_t subscription_id, const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  long long sid = subscription_id, limit = page.size, offset = page.Offset(), total = 0;
  *lease << "SELECT COUNT(*) FROM subscription_charges WHERE subscription_id = :s", soci::use(sid), soci::into(total);
  ChargePage result;
  result.total = total;
  soci::rowset<soci::row> rows =
      (lease->prepare
           << std::string("SELECT ") + kChargeColumns +
                  " FROM subscription_charges WHERE subscription_id = :s ORDER BY id DESC LIMIT :l OFFSET :o",
       soci::use(sid), soci::use(limit), soci::use(offset));
  for (const auto& r : rows) result.charges.push_back(ReadCharge(r));
  return result;
}

}  // namespace pillivery::storage
