#include "storage/subscription_repository.hpp"

#include "domain/error.hpp"
#include "domain/payment.hpp"
#include "infra/clock.hpp"
#include "storage/row_reader.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/subscription_rows.hpp"
#include "storage/unit_of_work_session.hpp"

#include <set>
#include <stdexcept>

namespace pillivery::storage {

using domain::Date;
using domain::Subscription;

namespace {

std::optional<Subscription> FindIn(soci::session& s, std::int64_t id, bool for_update, Dialect dialect) {
  long long key = id;
  std::string sql = std::string("SELECT ") + kSubscriptionColumns +
                    " FROM subscriptions s JOIN items i ON i.id = s.item_id WHERE s.id = :id" +
                    (for_update ? ForUpdate(dialect) : "");
  soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(key));
  for (const auto& r : rows) return ReadSubscription(r);
  return std::nullopt;
}

void Save(soci::session& s, const Subscription& sub, const std::string& now) {
  std::string status(domain::CodeOf(sub.status)), last = sub.last_paid_date.ToString(),
                                                  next = sub.next_payment_date.ToString(),
                                                  attempt_date = sub.next_attempt_date.ToString();
  long long id = sub.id;
  int quantity = sub.quantity, period = sub.period, attempts = sub.cycle_attempts;
  const domain::Receiver& to = sub.delivery_address;
  soci::indicator reason_ind = sub.cancel_reason ? soci::i_ok : soci::i_null;
  std::string reason = sub.cancel_reason.value_or("");
  s << "UPDATE subscriptions SET quantity = :q, period = :p, status = :s, last_paid_date = :l, "
       "next_payment_date = :n, cycle_attempts = :a, next_attempt_date = :d, updated_at = :u, receiver_name = :rn, "
       "receiver_phone = :rp, receiver_city = :rc, receiver_detail = :rd, cancel_reason = :cr WHERE id = :id",
      soci::use(quantity), soci::use(period), soci::use(status), soci::use(last), soci::use(next), soci::use(attempts),
      soci::use(attempt_date), soci::use(now), soci::use(to.name), soci::use(to.phone), soci::use(to.city),
      soci::use(to.detail_address), soci::use(reason, reason_ind), soci::use(id);
}

// The subscription row still holds what `seen` read: then `next` is written
// without reading it again (false: it changed, the caller locks and re-applies).
bool SaveIfUnchanged(soci::session& s, const Subscription& seen, const Subscription& next, const std::string& now) {
  BillingColumns to(next), was(seen);
  long long id = seen.id;
  int quantity = seen.quantity, period = seen.period;
  soci::statement st =
      (s.prepare << "UPDATE subscriptions SET status = :s, last_paid_date = :l, next_payment_date = :n, "
                    "cycle_attempts = :a, next_attempt_date = :d, updated_at = :u WHERE id = :id AND status = :os "
                    "AND last_paid_date = :ol AND next_payment_date = :on AND cycle_attempts = :oa AND "
                    "next_attempt_date = :od AND quantity = :oq AND period = :op",
       soci::use(to.status), soci::use(to.last), soci::use(to.pay), soci::use(to.attempts), soci::use(to.attempt_date),
       soci::use(now), soci::use(id), soci::use(was.status), soci::use(was.last), soci::use(was.pay),
       soci::use(was.attempts), soci::use(was.attempt_date), soci::use(quantity), soci::use(period));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

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

namespace {
constexpr const char* kLiveStatuses = "('ACTIVE', 'PAUSED', 'PAST_DUE')";

bool ReleaseSidIn(soci::session& s, Dialect dialect, const std::string& sid, const std::string& now_iso) {
  std::string status;
  s << std::string("SELECT status FROM payment_methods WHERE sid = :s") + ForUpdate(dialect), soci::use(sid),
      soci::into(status);
  // Released already (or never ours to release).
  if (!s.got_data() || domain::ParsePaymentMethodStatus(status) != domain::PaymentMethodStatus::kActive) return false;
  long long live = 0;
  s << std::string("SELECT COUNT(*) FROM subscriptions WHERE sid = :s AND status IN ") + kLiveStatuses, soci::use(sid),
      soci::into(live);
  if (live > 0) return false;
  // An attempt whose answer is unknown is settled by sending it again with this
  // SID: it stays active until then (the settling run releases it).
  long long open = 0;
  s << "SELECT COUNT(*) FROM subscription_charges c JOIN subscriptions s ON s.id = c.subscription_id WHERE s.sid = "
       ":s AND c.result IN ('PENDING', 'UNKNOWN')",
      soci::use(sid), soci::into(open);
  if (open > 0) return false;
  s << "UPDATE payment_methods SET status = 'INACTIVE', inactivated_at = :t WHERE sid = :s", soci::use(now_iso),
      soci::use(sid);
  return true;
}
}  // namespace

bool SubscriptionRepository::ReleaseSid(UnitOfWork& work, const std::string& sid, const std::string& now_iso) {
  return ReleaseSidIn(SessionOf(work), work.GetDialect(), sid, now_iso);
}

EndedSubscriptions SubscriptionRepository::EndLive(UnitOfWork& work, const EndScope& scope,
                                                   const std::string& now_iso) {
  if (!scope.source_order_id && !scope.user_id) throw std::logic_error("EndLive needs a scope");
  soci::session& s = SessionOf(work);
  const Dialect dialect = work.GetDialect();
  std::string where = std::string(" WHERE status IN ") + kLiveStatuses;
  long long key = scope.source_order_id ? *scope.source_order_id : *scope.user_id;
  where += scope.source_order_id ? " AND source_order_id = :k" : " AND user_id = :k";
  EndedSubscriptions ended;
  std::set<std::string> sids;
  {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, sid FROM subscriptions" + where + " ORDER BY id" + ForUpdate(dialect),
         soci::use(key));
    for (const auto& r : rows) {
      ended.ids.push_back(GetInt64(r, 0));
      sids.insert(GetString(r, 1));
    }
  }
  if (ended.ids.empty()) return ended;
  s << "UPDATE subscriptions SET status = 'CANCELLED', updated_at = :u" + where, soci::use(now_iso), soci::use(key);
  // In SID order: two endings never wait on each other's SID rows in a cycle.
  for (const auto& sid : sids)
    if (ReleaseSidIn(s, dialect, sid, now_iso)) ended.released_sids.push_back(sid);
  return ended;
}

std::vector<std::int64_t> SubscriptionRepository::CreateForOrder(UnitOfWork& work, const domain::Order& order,
                                                                 const std::string& sid, const std::string& cid,
                                                                 const std::string& partner_user_id, Date today,
                                                                 const std::string& now_iso) {
  soci::session& s = SessionOf(work);
  std::vector<std::int64_t> ids;
  for (const auto& line : order.lines) {
    int period = line.period.value_or(30);
    long long user = order.user_id, item = line.item_id, source = order.id, line_id = line.line_id;
    int quantity = line.quantity, zero = 0;
    std::string status(domain::CodeOf(domain::SubscriptionStatus::kActive)), last = today.ToString(),
                                                                             next = today.AddDays(period).ToString();
    // Renewals ship to the order's receiver until the customer changes the address.
    const domain::Receiver& to = order.receiver;
    s << "INSERT INTO subscriptions(user_id, item_id, product_name, quantity, period, status, sid, cid, "
         "partner_user_id, source_order_id, source_order_line_id, last_paid_date, next_payment_date, cycle_attempts, "
         "next_attempt_date, created_at, updated_at, receiver_name, receiver_phone, receiver_city, receiver_detail) "
         "VALUES(:u, :i, :pn, :q, :p, :s, :sid, :cid, :pu, :o, :l, :lp, :np, :ca, :na, :c, :up, :rn, :rp, :rc, :rd)",
        soci::use(user), soci::use(item), soci::use(line.product_name), soci::use(quantity), soci::use(period),
        soci::use(status), soci::use(sid), soci::use(cid), soci::use(partner_user_id), soci::use(source),
        soci::use(line_id), soci::use(last), soci::use(next), soci::use(zero), soci::use(next), soci::use(now_iso),
        soci::use(now_iso), soci::use(to.name), soci::use(to.phone), soci::use(to.city), soci::use(to.detail_address);
    ids.push_back(LastInsertId(s, work.GetDialect()));
  }
  // The SID's row (one per approval, shared by the order's subscriptions).
  long long user = order.user_id;
  s << "INSERT INTO payment_methods(sid, cid, user_id, status, created_at) VALUES(:s, :c, :u, 'ACTIVE', :t)",
      soci::use(sid), soci::use(cid), soci::use(user), soci::use(now_iso);
  return ids;
}

std::optional<Subscription> SubscriptionRepository::Find(std::int64_t id) {
  auto lease = db_.Acquire();
  return FindIn(*lease, id, false, db_.GetDialect());
}

SubscriptionPage SubscriptionRepository::List(std::optional<std::int64_t> user_id,
                                              std::optional<domain::SubscriptionStatus> status,
                                              std::optional<Date> due_on, const domain::PageRequest& page) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  std::string where = " WHERE 1 = 1";
  long long uid = user_id.value_or(0);
  std::string status_code = status ? std::string(domain::CodeOf(*status)) : "";
  std::string due = due_on ? due_on->ToString() : "";
  if (user_id) where += " AND s.user_id = :u";
  if (status) where += " AND s.status = :st";
  if (due_on) where += " AND s.next_attempt_date = :d AND s.status IN ('ACTIVE', 'PAST_DUE')";
  auto bind = [&](soci::details::prepare_temp_type& prep) {
    if (user_id) prep, soci::use(uid, "u");
    if (status) prep, soci::use(status_code, "st");
    if (due_on) prep, soci::use(due, "d");
  };
  SubscriptionPage result;
  {
    long long total = 0;
    auto prep = s.prepare << "SELECT COUNT(*) FROM subscriptions s" + where;
    bind(prep);
    prep, soci::into(total);
    soci::statement st(prep);
    st.execute(true);
    result.total = total;
  }
  long long limit = page.size, offset = page.Offset();
  auto prep = s.prepare << std::string("SELECT ") + kSubscriptionColumns +
                               " FROM subscriptions s JOIN items i ON i.id = s.item_id" + where +
                               " ORDER BY s.id DESC LIMIT :lim OFFSET :off";
  bind(prep);
  prep, soci::use(limit, "lim"), soci::use(offset, "off");
  soci::rowset<soci::row> rows(prep);
  for (const auto& r : rows) result.subscriptions.push_back(ReadSubscription(r));
  return result;
}

std::optional<Subscription> SubscriptionRepository::FindForUpdate(UnitOfWork& work, std::int64_t id) {
  return FindIn(SessionOf(work), id, true, work.GetDialect());
}

void SubscriptionRepository::Save(UnitOfWork& work, const Subscription& subscription) {
  storage::Save(SessionOf(work), subscription, infra::FormatIsoTime(std::chrono::system_clock::now()));
}

std::vector<DueCycle> SubscriptionRepository::DueCycles(Date date, std::int64_t after_id, int limit) {
  auto lease = db_.Acquire();
  std::string day = date.ToString();
  long long after = after_id, lim = limit;
  std::vector<DueCycle> cycles;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT id, next_payment_date, cycle_attempts FROM subscriptions WHERE status IN "
                         "('ACTIVE', 'PAST_DUE') AND next_attempt_date <= :d AND id > :a ORDER BY id LIMIT :l",
       soci::use(day), soci::use(after), soci::use(lim));
  for (const auto& r : rows)
    cycles.push_back({GetInt64(r, 0), Date::Parse(GetString(r, 1)).value_or(Date{}), static_cast<int>(GetInt64(r, 2))});
  return cycles;
}

std::vector<OpenAttempt> SubscriptionRepository::StrandedAttempts() {
  auto lease = db_.Acquire();
  std::vector<OpenAttempt> attempts;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT c.subscription_id, c.due_date, c.attempt FROM subscription_charges c JOIN "
                         "subscriptions s ON s.id = c.subscription_id WHERE c.result IN ('PENDING', 'UNKNOWN') AND "
                         "NOT (s.status IN ('ACTIVE', 'PAST_DUE') AND s.next_payment_date = c.due_date AND "
                         "s.cycle_attempts + 1 = c.attempt) ORDER BY c.subscription_id, c.due_date, c.attempt");
  for (const auto& r : rows)
    attempts.push_back(
        {GetInt64(r, 0), Date::Parse(GetString(r, 1)).value_or(Date{}), static_cast<int>(GetInt64(r, 2))});
  return attempts;
}

std::int64_t SubscriptionRepository::CountDue(Date date) {
  auto lease = db_.Acquire();
  std::string day = date.ToString();
  long long count = 0;
  *lease << "SELECT COUNT(*) FROM subscriptions WHERE status IN ('ACTIVE', 'PAST_DUE') AND next_attempt_date <= :d",
      soci::use(day), soci::into(count);
  return count;
}

std::vector<std::int64_t> SubscriptionRepository::OpenIdsOfUser(std::int64_t user_id) {
  auto lease = db_.Acquire();
  long long uid = user_id;
  std::vector<std::int64_t> ids;
  soci::rowset<long long> rows =
      (lease->prepare
           << "SELECT id FROM subscriptions WHERE user_id = :u AND status IN ('ACTIVE', 'PAUSED', 'PAST_DUE')",
       soci::use(uid));
  for (long long id : rows) ids.push_back(id);
  return ids;
}

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
  if (dialect == Dialect::kMariaDb && CloseAndSaveIfUnchanged(s, c, seen, next)) {
    renewal_payment();
    give_back();
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
  if (!SaveIfUnchanged(s, seen, next, c.at)) {
    // Changed since the caller read it (paused, quantity changed…): apply the rule to what is there.
    auto current = FindIn(s, c.subscription_id, true, dialect);
    if (!current) throw domain::Error(domain::ErrorCode::kSubscriptionNotFound, "No such subscription.");
    domain::ApplyRule(*current, row.rule);
    storage::Save(s, *current, c.at);
    next = *current;
  }
  give_back();
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
  if (!SaveIfUnchanged(s, seen, next, c.at)) {
    auto current = FindIn(s, c.subscription_id, true, dialect);
    if (!current) throw domain::Error(domain::ErrorCode::kSubscriptionNotFound, "No such subscription.");
    domain::ApplyRule(*current, row.rule);
    storage::Save(s, *current, c.at);
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

std::int64_t SubscriptionRepository::StartRun(const std::string& run_date, const std::string& now_iso) {
  auto lease = db_.Acquire();
  Transaction tx(*lease, db_.GetDialect());
  // A run of this date still RUNNING was killed (SIGKILL, a crash): one batch
  // works a date at a time, and it is re-run after a failure, so close it.
  *lease << "UPDATE batch_runs SET status = 'INTERRUPTED', finished_at = :f WHERE run_date = :d AND status = 'RUNNING'",
      soci::use(now_iso), soci::use(run_date);
  *lease << "INSERT INTO batch_runs(run_date, started_at, status) VALUES(:d, :s, 'RUNNING')", soci::use(run_date),
      soci::use(now_iso);
  auto id = LastInsertId(*lease, db_.GetDialect());
  tx.Commit();
  return id;
}

void SubscriptionRepository::FinishRun(const BatchRun& run) {
  auto lease = db_.Acquire();
  long long id = run.id;
  std::string finished = run.finished_at.value_or("");
  *lease << "UPDATE batch_runs SET finished_at = :f, status = :s, due_count = :d, paid_count = :p, "
            "soft_declined_count = :sd, hard_declined_count = :hd, unknown_count = :u, skipped_count = :sk, "
            "error_count = :e WHERE id = :id",
      soci::use(finished), soci::use(run.status), soci::use(run.due), soci::use(run.paid), soci::use(run.soft_declined),
      soci::use(run.hard_declined), soci::use(run.unknown), soci::use(run.skipped), soci::use(run.errors),
      soci::use(id);
}

std::vector<BatchRun> SubscriptionRepository::Runs(const domain::PageRequest& page, std::int64_t& total) {
  auto lease = db_.Acquire();
  long long count = 0, limit = page.size, offset = page.Offset();
  *lease << "SELECT COUNT(*) FROM batch_runs", soci::into(count);
  total = count;
  std::vector<BatchRun> runs;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT id, run_date, started_at, finished_at, status, due_count, paid_count, "
                         "soft_declined_count, hard_declined_count, unknown_count, skipped_count, error_count "
                         "FROM batch_runs ORDER BY id DESC LIMIT :l OFFSET :o",
       soci::use(limit), soci::use(offset));
  for (const auto& r : rows) {
    BatchRun run;
    run.id = GetInt64(r, 0);
    run.run_date = GetString(r, 1);
    run.started_at = GetString(r, 2);
    run.finished_at = GetOptionalString(r, 3);
    run.status = GetString(r, 4);
    run.due = static_cast<int>(GetInt64(r, 5));
    run.paid = static_cast<int>(GetInt64(r, 6));
    run.soft_declined = static_cast<int>(GetInt64(r, 7));
    run.hard_declined = static_cast<int>(GetInt64(r, 8));
    run.unknown = static_cast<int>(GetInt64(r, 9));
    run.skipped = static_cast<int>(GetInt64(r, 10));
    run.errors = static_cast<int>(GetInt64(r, 11));
    runs.push_back(run);
  }
  return runs;
}

}  // namespace pillivery::storage
