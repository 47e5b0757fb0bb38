// SubscriptionRepository's grouped billing steps: the reads, claims and
// outcomes of many concurrent charges with a few statements each (group
// commit). Each group is all or nothing, fenced like the one-charge forms;
// the service falls back to those when a group's fence does not hold.
#include "storage/order_counts.hpp"
#include "storage/row_reader.hpp"
#include "storage/sql_builder.hpp"
#include "storage/stock_ledger.hpp"
#include "storage/subscription_repository.hpp"
#include "storage/subscription_rows.hpp"
#include "storage/unit_of_work_session.hpp"

#include <map>
#include <set>
#include <unordered_map>

namespace pillivery::storage {

using domain::Subscription;

namespace {

// "CASE id WHEN <id> THEN <value> … END", one branch per row.
template <class Rows, class IdOf, class WriteValue>
void CaseById(SqlBuilder& sql, const Rows& rows, IdOf id_of, WriteValue write_value) {
  sql << "CASE id";
  for (const auto& row : rows) {
    sql << " WHEN ";
    sql.Value(id_of(row));
    sql << " THEN ";
    write_value(sql, row);
  }
  sql << " END";
}

}  // namespace

std::vector<std::optional<ChargeContext>> SubscriptionRepository::FindForCharges(std::span<const ChargeKey> keys) {
  std::vector<std::optional<ChargeContext>> contexts(keys.size());
  if (keys.empty()) return contexts;
  std::set<std::string> due_dates;
  for (const auto& key : keys) due_dates.insert(key.due_date.ToString());
  SqlBuilder sql(db_.GetDialect());
  // The attempts of the keys' due dates come along (a few rows per
  // subscription at most); each key picks its own attempt below.
  sql << "SELECT " << kSubscriptionColumns
      << ", i.origin_price, i.discount_rate, i.thumbnail_url, "
         "c.id, c.subscription_id, c.due_date, c.attempt, c.partner_order_id, c.amount, c.result, "
         "c.decline_code, c.tid, c.renewal_order_id, c.claimed_at_ms, c.at FROM subscriptions s JOIN items i ON i.id "
         "= s.item_id LEFT JOIN subscription_charges c ON "
         "c.subscription_id = s.id AND c.due_date IN (";
  sql.List(due_dates, [](const std::string& due) { return SqlParam(due); }) << ") WHERE s.id IN (";
  sql.List(keys, [](const ChargeKey& key) { return SqlParam(key.subscription_id); }) << ")";

  constexpr std::size_t kCharge = kSubscriptionColumnCount + 3;
  std::unordered_map<std::int64_t, ChargeContext> found;
  std::unordered_map<std::int64_t, std::vector<Charge>> charges;
  auto on_row = [&](const soci::row& r) {
    const std::int64_t id = GetInt64(r, 0);
    if (!found.contains(id)) {
      ChargeContext context;
      context.subscription = ReadSubscription(r);
      context.item_price.origin = GetInt64(r, kSubscriptionColumnCount);
      context.item_price.rate_tenths = static_cast<int>(GetInt64(r, kSubscriptionColumnCount + 1));
      context.item_thumbnail_url = GetString(r, kSubscriptionColumnCount + 2);
      // The renewal ships to the subscription's address in force now (issue #12 item 9).
      context.receiver = context.subscription.delivery_address;
      found.emplace(id, std::move(context));
    }
    if (r.get_indicator(kCharge) != soci::i_null) charges[id].push_back(ReadCharge(r, kCharge));
  };
  auto lease = db_.Acquire();
  // One key: a fixed text, prepared once per connection. A group's text
  // depends on its size, so it is prepared for the one call.
  if (keys.size() == 1)
    db_.Query(*lease, sql.Sql(), sql.Params(), on_row);
  else
    StatementCache::QueryOnce(*lease, sql.Sql(), sql.Params(), on_row);

  for (std::size_t k = 0; k < keys.size(); ++k) {
    auto context = found.find(keys[k].subscription_id);
    if (context == found.end()) continue;
    contexts[k] = context->second;
    for (const auto& charge : charges[keys[k].subscription_id])
      if (charge.due_date == keys[k].due_date && charge.attempt == keys[k].attempt) contexts[k]->charge = charge;
  }
  return contexts;
}

bool SubscriptionRepository::InsertClaims(std::span<const ClaimRow> claims) {
  if (claims.empty()) return true;
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  SqlBuilder insert(db_.GetDialect());
  insert << "INSERT INTO subscription_charges(subscription_id, due_date, attempt, partner_order_id, amount, result, "
            "claimed_at_ms, at) VALUES ";
  std::map<std::int64_t, long long> reserve;
  std::vector<std::string> due_dates;
  due_dates.reserve(claims.size());  // never reallocated: the statement binds views of them
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const Charge& c = *claims[i].claim;
    due_dates.push_back(c.due_date.ToString());
    insert << (i ? ", " : "");
    insert.Row({c.subscription_id, due_dates.back(), c.attempt, c.partner_order_id, c.amount,
                domain::CodeOf(domain::ChargeResult::kPending), c.claimed_at_ms, c.at});
    reserve[claims[i].item_id] += claims[i].quantity;
  }
  insert << " RETURNING id, subscription_id";
  std::unordered_map<std::int64_t, std::int64_t> id_of_subscription;
  try {
    StatementCache::QueryOnce(s, insert.Sql(), insert.Params(),
                              [&](const soci::row& row) { id_of_subscription[GetInt64(row, 1)] = GetInt64(row, 0); });
  } catch (const soci::soci_error&) {
    return false;  // the unique (subscription, due date, attempt) index: one of them is claimed already
  }
  if (id_of_subscription.size() != claims.size()) return false;  // two claims of one subscription
  {
    // As InsertClaim: each subscription chargeable and its user not withdrawn, read under lock.
    SqlBuilder check(db_.GetDialect());
    check << "SELECT COUNT(*) FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE s.status IN ('ACTIVE', "
             "'PAST_DUE') AND u.status = 'ACTIVE' AND s.id IN (";
    check.List(claims, [](const ClaimRow& row) { return SqlParam(row.claim->subscription_id); });
    check << ")" << ForUpdate(db_.GetDialect());
    long long chargeable = 0;
    StatementCache::QueryOnce(s, check.Sql(), check.Params(), [&](const soci::row& r) { chargeable = GetInt64(r, 0); });
    if (chargeable != static_cast<long long>(claims.size())) return false;
  }
  // An item short of stock rolls the claims back too.
  if (!StockLedger::ReserveAll(s, db_.GetDialect(), reserve)) return false;
  tx.Commit();
  for (const auto& row : claims) {
    row.claim->id = id_of_subscription.at(row.claim->subscription_id);
    row.claim->result = domain::ChargeResult::kPending;
  }
  return true;
}

bool SubscriptionRepository::RecordOutcomes(UnitOfWork& work, std::span<OutcomeRow> rows) {
  if (rows.empty()) return true;
  soci::session& s = SessionOf(work);
  for (auto& row : rows) {
    row.next = row.seen;
    domain::ApplyRule(row.next, row.rule);
  }
  const auto expected = static_cast<long long>(rows.size());

  // The renewal orders first, so that each attempt's row is written once, with its order's id.
  std::vector<Renewal> renewals;
  std::vector<OutcomeRow*> renewed;
  for (auto& row : rows)
    if (row.renewal) {
      renewals.push_back(*row.renewal);
      renewed.push_back(&row);
    }
  auto order_ids = OrderRepository::InsertRenewals(work, renewals);
  for (std::size_t i = 0; i < renewed.size(); ++i) renewed[i]->outcome->renewal_order_id = order_ids[i];
  auto forget_orders = [&] {
    for (auto* row : renewed) row->outcome->renewal_order_id.reset();
    return false;  // the caller rolls the orders back
  };

  // The fence on the attempts: of two workers recording one attempt, one closes it.
  auto charge_id = [](const OutcomeRow& row) { return row.outcome->id; };
  SqlBuilder close(db_.GetDialect());
  close << "UPDATE subscription_charges SET result = ";
  CaseById(close, rows, charge_id,
           [](SqlBuilder& b, const OutcomeRow& r) { b.Value(domain::CodeOf(r.outcome->result)); });
  close << ", decline_code = ";
  CaseById(close, rows, charge_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->decline_code); });
  close << ", tid = ";
  CaseById(close, rows, charge_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->tid); });
  close << ", amount = ";
  CaseById(close, rows, charge_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->amount); });
  close << ", at = ";
  CaseById(close, rows, charge_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->at); });
  close << ", renewal_order_id = ";
  CaseById(close, rows, charge_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->renewal_order_id); });
  close << " WHERE id IN (";
  close.List(rows, [](const OutcomeRow& r) { return SqlParam(r.outcome->id); });
  close << ") AND result IN ('PENDING', 'UNKNOWN')";
  if (StatementCache::ExecuteOnce(s, close.Sql(), close.Params()) != expected) return forget_orders();

  // The fence on the subscriptions: each row still holds what its charge read
  // (the rules always change a column, so a written row counts as changed).
  auto subscription_id = [](const OutcomeRow& row) { return row.seen.id; };
  SqlBuilder save(db_.GetDialect());
  save << "UPDATE subscriptions SET status = ";
  CaseById(save, rows, subscription_id,
           [](SqlBuilder& b, const OutcomeRow& r) { b.Owned(std::string(domain::CodeOf(r.next.status))); });
  save << ", last_paid_date = ";
  CaseById(save, rows, subscription_id,
           [](SqlBuilder& b, const OutcomeRow& r) { b.Owned(r.next.last_paid_date.ToString()); });
  save << ", next_payment_date = ";
  CaseById(save, rows, subscription_id,
           [](SqlBuilder& b, const OutcomeRow& r) { b.Owned(r.next.next_payment_date.ToString()); });
  save << ", cycle_attempts = ";
  CaseById(save, rows, subscription_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.next.cycle_attempts); });
  save << ", next_attempt_date = ";
  CaseById(save, rows, subscription_id,
           [](SqlBuilder& b, const OutcomeRow& r) { b.Owned(r.next.next_attempt_date.ToString()); });
  save << ", updated_at = ";
  CaseById(save, rows, subscription_id, [](SqlBuilder& b, const OutcomeRow& r) { b.Value(r.outcome->at); });
  save << " WHERE id IN (";
  save.List(rows, [](const OutcomeRow& r) { return SqlParam(r.seen.id); });
  save << ") AND ";
  CaseById(save, rows, subscription_id, [](SqlBuilder& b, const OutcomeRow& r) {
    const BillingColumns was(r.seen);
    b << "(status = ";
    b.Owned(was.status) << " AND last_paid_date = ";
    b.Owned(was.last) << " AND next_payment_date = ";
    b.Owned(was.pay) << " AND cycle_attempts = ";
    b.Value(was.attempts) << " AND next_attempt_date = ";
    b.Owned(was.attempt_date) << " AND quantity = ";
    b.Value(r.seen.quantity) << " AND period = ";
    b.Value(r.seen.period) << ")";
  });
  if (StatementCache::ExecuteOnce(s, save.Sql(), save.Params()) != expected) return forget_orders();
  OrderRepository::InsertRenewalPayments(work, renewals, order_ids);

  std::map<std::int64_t, long long> give_back;
  for (const auto& row : rows)
    if (row.stock_back > 0) give_back[row.seen.item_id] += row.stock_back;
  StockLedger::GiveBackAll(s, work.GetDialect(), give_back);
  std::vector<std::int64_t> accounts;
  accounts.reserve(renewals.size());
  for (const auto& renewal : renewals) accounts.push_back(renewal.user_id);
  OrderCounts::Add(s, work.GetDialect(), accounts);  // the last write: see order_counts.hpp
  return true;
}

}  // namespace pillivery::storage
