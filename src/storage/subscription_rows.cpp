#include "storage/subscription_rows.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

using domain::Date;

domain::Subscription ReadSubscription(const soci::row& r) {
  domain::Subscription s;
  s.id = GetInt64(r, 0);
  s.user_id = GetInt64(r, 1);
  s.item_id = GetInt64(r, 2);
  s.product_name = GetString(r, 3);
  s.quantity = static_cast<int>(GetInt64(r, 4));
  s.period = static_cast<int>(GetInt64(r, 5));
  s.status = domain::ParseSubscriptionStatus(GetString(r, 6)).value_or(domain::SubscriptionStatus::kCancelled);
  s.sid = GetString(r, 7);
  s.partner_user_id = GetString(r, 8);
  s.source_order_id = GetInt64(r, 9);
  s.last_paid_date = Date::Parse(GetString(r, 10)).value_or(Date{});
  s.next_payment_date = Date::Parse(GetString(r, 11)).value_or(Date{});
  s.cycle_attempts = static_cast<int>(GetInt64(r, 12));
  s.next_attempt_date = Date::Parse(GetString(r, 13)).value_or(Date{});
  s.created_at = GetString(r, 14);
  s.upcoming_amount = GetInt64(r, 15) * s.quantity;
  s.delivery_address = {GetString(r, 16), GetString(r, 17), GetString(r, 18), GetString(r, 19)};
  s.cancel_reason = GetOptionalString(r, 20);
  return s;
}

Charge ReadCharge(const soci::row& r, std::size_t at) {
  Charge c;
  c.id = GetInt64(r, at + 0);
  c.subscription_id = GetInt64(r, at + 1);
  c.due_date = Date::Parse(GetString(r, at + 2)).value_or(Date{});
  c.attempt = static_cast<int>(GetInt64(r, at + 3));
  c.partner_order_id = GetString(r, at + 4);
  c.amount = GetInt64(r, at + 5);
  c.result = domain::ParseChargeResult(GetString(r, at + 6)).value_or(domain::ChargeResult::kUnknown);
  c.decline_code = GetOptionalString(r, at + 7);
  c.tid = GetOptionalString(r, at + 8);
  c.renewal_order_id = GetOptionalInt64(r, at + 9);
  c.claimed_at_ms = GetInt64(r, at + 10);
  c.at = GetString(r, at + 11);
  return c;
}

std::optional<domain::Subscription> FindSubscriptionIn(soci::session& s, std::int64_t id, bool for_update,
                                                       Dialect dialect) {
  long long key = id;
  std::string sql = std::string("SELECT ") + kSubscriptionColumns +
                    " FROM subscriptions s JOIN items i ON i.id = s.item_id WHERE s.id = :id" +
                    (for_update ? ForUpdate(dialect) : "");
  soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(key));
  for (const auto& r : rows) return ReadSubscription(r);
  return std::nullopt;
}

void SaveSubscription(soci::session& s, const domain::Subscription& sub, const std::string& now) {
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
bool SaveBillingIfUnchanged(soci::session& s, const domain::Subscription& seen, const domain::Subscription& next,
                            const std::string& now) {
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

}  // namespace pillivery::storage
