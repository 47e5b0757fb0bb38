#include "domain/subscription.hpp"

#include "domain/code_table.hpp"
#include "domain/user.hpp"

#include <algorithm>

namespace pillivery::domain {

namespace {
constexpr std::pair<SubscriptionStatus, std::string_view> kStatuses[] = {
    {SubscriptionStatus::kActive, "ACTIVE"},       {SubscriptionStatus::kPaused, "PAUSED"},
    {SubscriptionStatus::kPastDue, "PAST_DUE"},    {SubscriptionStatus::kPaymentFailed, "PAYMENT_FAILED"},
    {SubscriptionStatus::kCancelled, "CANCELLED"},
};
constexpr std::pair<ChargeResult, std::string_view> kResults[] = {
    {ChargeResult::kPending, "PENDING"},
    {ChargeResult::kPaid, "PAID"},
    {ChargeResult::kSoftDeclined, "SOFT_DECLINED"},
    {ChargeResult::kHardDeclined, "HARD_DECLINED"},
    {ChargeResult::kUnknown, "UNKNOWN"},
    {ChargeResult::kOutOfStock, "OUT_OF_STOCK"},
};
constexpr std::pair<BillingRunStatus, std::string_view> kRunStatuses[] = {
    {BillingRunStatus::kRunning, "RUNNING"},
    {BillingRunStatus::kCompleted, "COMPLETED"},
    {BillingRunStatus::kIncomplete, "INCOMPLETE"},
    {BillingRunStatus::kInterrupted, "INTERRUPTED"},
};

[[noreturn]] void Conflict(const Subscription& s, std::string_view action) {
  throw Error(ErrorCode::kSubscriptionStateConflict,
              "Cannot " + std::string(action) + " a subscription that is " + std::string(CodeOf(s.status)) + ".");
}

void Validate(bool ok, const char* field, const char* reason) {
  if (!ok) throw Error::Validation({{field, reason}});
}

void StartCycle(Subscription& s, Date due) {
  s.next_payment_date = due;
  s.next_attempt_date = due;
  s.cycle_attempts = 0;
}
}  // namespace

std::optional<SubscriptionStatus> ParseSubscriptionStatus(std::string_view text) {
  for (auto [status, code] : kStatuses)
    if (code == text) return status;
  return std::nullopt;
}
std::string_view CodeOf(SubscriptionStatus status) {
  for (auto [s, code] : kStatuses)
    if (s == status) return code;
  return "ACTIVE";
}
std::string_view CodeOf(ChargeResult result) {
  for (auto [r, code] : kResults)
    if (r == result) return code;
  return "UNKNOWN";
}
std::optional<ChargeResult> ParseChargeResult(std::string_view text) {
  for (auto [r, code] : kResults)
    if (code == text) return r;
  return std::nullopt;
}

std::string_view CodeOf(BillingRunStatus status) { return detail::CodeIn(kRunStatuses, status); }
std::optional<BillingRunStatus> ParseBillingRunStatus(std::string_view text) {
  return detail::ParseIn(kRunStatuses, text);
}

bool IsSettled(ChargeResult result) { return result != ChargeResult::kPending && result != ChargeResult::kUnknown; }

std::string CyclePartnerOrderId(std::int64_t subscription_id, Date due_date) {
  return "sub-" + std::to_string(subscription_id) + "-" + due_date.ToString();
}

bool IsTerminal(SubscriptionStatus status) {
  return status == SubscriptionStatus::kPaymentFailed || status == SubscriptionStatus::kCancelled;
}
bool IsChargeable(SubscriptionStatus status) {
  return status == SubscriptionStatus::kActive || status == SubscriptionStatus::kPastDue;
}

bool IsCurrentAttempt(const Subscription& s, Date due_date, int attempt) {
  return IsChargeable(s.status) && s.next_payment_date == due_date && s.cycle_attempts + 1 == attempt;
}

void ChangePeriod(Subscription& s, int period, Date today) {
  Validate(period >= 7 && period <= 180, "period", "must be from 7 to 180 days");
  if (IsTerminal(s.status)) Conflict(s, "change");
  if (s.status == SubscriptionStatus::kPastDue) Conflict(s, "change the period of");  // a cycle is being collected
  s.period = period;
  StartCycle(s, std::max(s.last_paid_date.AddDays(period), today.AddDays(1)));
}

void ChangeQuantity(Subscription& s, int quantity) {
  Validate(quantity >= 1 && quantity <= 99, "quantity", "must be from 1 to 99");
  if (IsTerminal(s.status)) Conflict(s, "change");
  s.quantity = quantity;
}

void Skip(Subscription& s) {
  if (s.status != SubscriptionStatus::kActive && s.status != SubscriptionStatus::kPaused) Conflict(s, "skip");
  StartCycle(s, s.next_payment_date.AddDays(s.period));
}

void Pause(Subscription& s) {
  if (s.status != SubscriptionStatus::kActive) Conflict(s, "pause");
  s.status = SubscriptionStatus::kPaused;
}

void Resume(Subscription& s, Date today) {
  if (s.status != SubscriptionStatus::kPaused) Conflict(s, "resume");
  s.status = SubscriptionStatus::kActive;
  // Cycles that fell due while paused are not charged after the fact.
  Date next = s.next_payment_date;
  while (next <= today) next = next.AddDays(s.period);
  if (next != s.next_payment_date) StartCycle(s, next);
}

void Cancel(Subscription& s, std::optional<std::string> reason) {
  if (reason) {
    auto length = Utf8Length(*reason);
    Validate(length && *length <= kMaxCancelReasonLength, "reason", "at most 500 characters of valid UTF-8");
    if (reason->find_first_not_of(" \t\r\n") == std::string::npos) reason.reset();
  }
  if (IsTerminal(s.status)) Conflict(s, "cancel");
  s.status = SubscriptionStatus::kCancelled;
  s.cancel_reason = std::move(reason);
}

void ChangeDeliveryAddress(Subscription& s, const Receiver& address) {
  Validator v;
  ValidateReceiver(address, v, "deliveryAddress.");
  v.ThrowIfAny();
  if (IsTerminal(s.status)) Conflict(s, "change");
  s.delivery_address = address;
}

void ApplyPaid(Subscription& s, Date today) {
  s.status = SubscriptionStatus::kActive;
  s.last_paid_date = today;
  StartCycle(s, today.AddDays(s.period));
}

void ApplySoftDecline(Subscription& s, Date due_date) {
  s.cycle_attempts += 1;
  if (s.cycle_attempts >= kMaxAttemptsPerCycle) {
    s.status = SubscriptionStatus::kPaymentFailed;
    return;
  }
  s.status = SubscriptionStatus::kPastDue;
  s.next_attempt_date = due_date.AddDays(kRetryOffsetsDays[s.cycle_attempts - 1]);
}

bool ApplyOutOfStock(Subscription& s, Date due_date) {
  // Cancelled, paused or in another cycle since the attempt read it: nothing to move on.
  if (!IsChargeable(s.status) || s.next_payment_date != due_date) return false;
  s.cycle_attempts += 1;
  if (s.cycle_attempts >= kMaxAttemptsPerCycle) {
    s.status = SubscriptionStatus::kActive;
    StartCycle(s, due_date.AddDays(s.period));
    return true;
  }
  s.next_attempt_date = due_date.AddDays(kRetryOffsetsDays[s.cycle_attempts - 1]);
  return false;
}

void ApplyHardDecline(Subscription& s) {
  s.cycle_attempts += 1;
  s.status = SubscriptionStatus::kPaymentFailed;
}

void ApplyRule(Subscription& s, const CycleRule& rule) {
  if (rule.attempt > 0 && !IsCurrentAttempt(s, rule.due_date, rule.attempt)) return;
  switch (rule.result) {
    case ChargeResult::kPaid:
      return ApplyPaid(s, rule.date);
    case ChargeResult::kSoftDeclined:
      return ApplySoftDecline(s, rule.date);
    case ChargeResult::kHardDeclined:
      return ApplyHardDecline(s);
    case ChargeResult::kOutOfStock:
      ApplyOutOfStock(s, rule.date);
      return;
    case ChargeResult::kPending:
    case ChargeResult::kUnknown:
      return;  // an open attempt moves nothing
  }
}

}  // namespace pillivery::domain
