#pragma once
// Subscriptions: the state machine and the date rules of product.md §1.
#include "domain/date.hpp"
#include "domain/error.hpp"
#include "domain/order.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pillivery::domain {

enum class SubscriptionStatus { kActive, kPaused, kPastDue, kPaymentFailed, kCancelled };
std::optional<SubscriptionStatus> ParseSubscriptionStatus(std::string_view text);
std::string_view CodeOf(SubscriptionStatus status);

// The result of one charge attempt. kPending: a worker holds the claim and has
// no answer yet. kOutOfStock: the cycle's stock could not be reserved; nothing
// was sent to the gateway.
enum class ChargeResult { kPending, kPaid, kSoftDeclined, kHardDeclined, kUnknown, kOutOfStock };
std::string_view CodeOf(ChargeResult result);
std::optional<ChargeResult> ParseChargeResult(std::string_view text);
// The gateway answered (or will never be asked): neither PENDING nor UNKNOWN.
bool IsSettled(ChargeResult result);

// A day's billing run: RUNNING while it charges; COMPLETED when every due cycle got
// an answer (paid, declined or skipped); INCOMPLETE when some did not (stopped early,
// or answers still unknown after its passes): they stay due for the next run;
// INTERRUPTED when its process died while RUNNING (closed by the next run of its date).
enum class BillingRunStatus { kRunning, kCompleted, kIncomplete, kInterrupted };
std::string_view CodeOf(BillingRunStatus status);
std::optional<BillingRunStatus> ParseBillingRunStatus(std::string_view text);

// Soft declines are retried this many days after the cycle's due date.
inline constexpr int kRetryOffsetsDays[] = {1, 3, 5};
inline constexpr int kMaxAttemptsPerCycle = 4;  // the first charge and three retries

struct Subscription {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t item_id = 0;
  std::string product_name;
  int quantity = 1;
  int period = 30;
  SubscriptionStatus status = SubscriptionStatus::kActive;
  std::string sid;
  std::string partner_user_id;
  std::int64_t source_order_id = 0;
  Date last_paid_date;
  Date next_payment_date;  // the due date of the current cycle
  int cycle_attempts = 0;  // attempts made for the current cycle
  Date next_attempt_date;  // when the batch should try next (due date, or a retry day)
  std::string created_at;
  std::int64_t upcoming_amount = 0;  // filled from current prices when read
  Receiver delivery_address;         // where the next renewal ships (first: the order's receiver)
  std::optional<std::string> cancel_reason;
};

inline constexpr std::size_t kMaxCancelReasonLength = 500;  // characters

// The partner_order_id of one cycle: the same for every retry of that cycle,
// so the gateway's duplicate check (-785) stops a second charge.
std::string CyclePartnerOrderId(std::int64_t subscription_id, Date due_date);

// The rules; each throws SUBSCRIPTION_STATE_CONFLICT (409) when the status forbids it.
void ChangePeriod(Subscription& s, int period, Date today);  // next = max(lastPaid + period, tomorrow)
void ChangeQuantity(Subscription& s, int quantity);
void Skip(Subscription& s);  // one period later
void Pause(Subscription& s);
void Resume(Subscription& s, Date today);  // a due date passed while paused rolls forward
// `reason`: at most kMaxCancelReasonLength characters (400 otherwise); blank keeps none.
void Cancel(Subscription& s, std::optional<std::string> reason = std::nullopt);
// Future renewals ship to `address` (validated like an order's receiver, fields
// "deliveryAddress.*"); 409 once the subscription has ended.
void ChangeDeliveryAddress(Subscription& s, const Receiver& address);

// Applies a charge outcome of the cycle due on `due_date`, charged on `today`.
void ApplyPaid(Subscription& s, Date today);
// Soft decline: PAST_DUE with the next retry day, or PAYMENT_FAILED after the last.
void ApplySoftDecline(Subscription& s, Date due_date);
void ApplyHardDecline(Subscription& s);
// The cycle's stock could not be reserved: retried on the soft-decline days
// (1, 3, 5 after the due date) with the status unchanged; after the last
// attempt the cycle is skipped (not charged, next due date one period on) and
// the subscription is ACTIVE. Returns true when the cycle was skipped. A
// subscription no longer chargeable or no longer in that cycle is left as it is.
bool ApplyOutOfStock(Subscription& s, Date due_date);
// One of the four rules above as a value, so the outcome of a charge is plain
// data: storage applies it again to the row it finds under lock when the
// subscription changed after the charge read it.
struct CycleRule {
  CycleRule() = default;
  CycleRule(ChargeResult outcome, Date day) : result(outcome), date(day) {}
  CycleRule(ChargeResult outcome, Date day, Date settles_due, int settles_attempt)
      : result(outcome), date(day), due_date(settles_due), attempt(settles_attempt) {}

  ChargeResult result = ChargeResult::kPaid;  // kPaid, kSoftDeclined, kHardDeclined or kOutOfStock
  Date date;                                  // kPaid: the day charged; otherwise the cycle's due date
  // The attempt this outcome settles (its cycle's due date and number): the rule moves
  // a subscription only while that is its current attempt (IsCurrentAttempt), so an
  // attempt settled after the subscription ended, paused or moved on changes nothing
  // of it. 0: whichever attempt the subscription is on.
  Date due_date;
  int attempt = 0;
};
void ApplyRule(Subscription& s, const CycleRule& rule);

bool IsTerminal(SubscriptionStatus status);
// Only ACTIVE and PAST_DUE subscriptions are charged.
bool IsChargeable(SubscriptionStatus status);
// The attempt (due_date, attempt) is the one the subscription is charged for now:
// it is chargeable and on that cycle's attempt. An open attempt that is not (the
// subscription ended, paused or moved on while its answer was unknown) is still
// settled by the gateway's answer, but that answer no longer moves the subscription.
bool IsCurrentAttempt(const Subscription& s, Date due_date, int attempt);

}  // namespace pillivery::domain
