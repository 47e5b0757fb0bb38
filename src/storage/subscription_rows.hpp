#pragma once
// How subscriptions and their charge attempts are read from rows, found, saved
// and bound to statements; shared by the files SubscriptionRepository is spread over.
#include "domain/subscription.hpp"
#include "storage/dialect.hpp"
#include "storage/subscription_repository.hpp"

#include <soci/soci.h>

#include <optional>
#include <string>

namespace pillivery::storage {

// The subscription columns ReadSubscription expects (aliases: s = subscriptions, i = items).
inline constexpr const char* kSubscriptionColumns =
    "s.id, s.user_id, s.item_id, s.product_name, s.quantity, s.period, s.status, s.sid, s.partner_user_id, "
    "s.source_order_id, s.last_paid_date, s.next_payment_date, s.cycle_attempts, s.next_attempt_date, s.created_at, "
    "i.real_price, s.receiver_name, s.receiver_phone, s.receiver_city, s.receiver_detail, s.cancel_reason";
inline constexpr std::size_t kSubscriptionColumnCount = 21;

domain::Subscription ReadSubscription(const soci::row& r);

inline constexpr const char* kChargeColumns =
    "id, subscription_id, due_date, attempt, partner_order_id, amount, result, decline_code, tid, renewal_order_id, "
    "claimed_at_ms, at";

// Reads the kChargeColumns starting at column `at`.
Charge ReadCharge(const soci::row& r, std::size_t at = 0);

// The billing state of a subscription as the columns hold it, bound by reference
// in the updates (soci::use needs the values to outlive the statement).
struct BillingColumns {
  explicit BillingColumns(const domain::Subscription& sub)
      : status(domain::CodeOf(sub.status)),
        last(sub.last_paid_date.ToString()),
        pay(sub.next_payment_date.ToString()),
        attempt_date(sub.next_attempt_date.ToString()),
        attempts(sub.cycle_attempts) {}
  std::string status, last, pay, attempt_date;
  int attempts;
};

// The subscription `id` with its item's price (nullopt: none); `for_update` locks its row.
std::optional<domain::Subscription> FindSubscriptionIn(soci::session& s, std::int64_t id, bool for_update,
                                                       Dialect dialect);
// Writes every mutable column of the subscription.
void SaveSubscription(soci::session& s, const domain::Subscription& sub, const std::string& now);
// The subscription row still holds what `seen` read: then `next` is written
// without reading it again (false: it changed, the caller locks and re-applies).
bool SaveBillingIfUnchanged(soci::session& s, const domain::Subscription& seen, const domain::Subscription& next,
                            const std::string& now);

}  // namespace pillivery::storage
