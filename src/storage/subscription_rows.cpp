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

}  // namespace pillivery::storage
