#include "service/billing/billing_service.hpp"

#include "infra/log.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;
using domain::Subscription;

std::int64_t BillingService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

ChargeCycleResult BillingService::Finished(const storage::Charge& charge,
                                           std::optional<domain::SubscriptionStatus> status) {
  ChargeCycleResult result;
  result.charge = charge;
  if (status)
    result.subscription_status = *status;
  else if (auto sub = subscriptions_.Find(charge.subscription_id))
    result.subscription_status = sub->status;
  return result;
}

ChargeCycleResult BillingService::ChargeCycle(const ChargeCycleRequest& req) {
  if (req.attempt < 1 || req.attempt > domain::kMaxAttemptsPerCycle)
    throw Error::Validation({{"attempt", "must be from 1 to 4"}});
  // One read: the subscription, its item's price and this attempt's row if any.
  auto context = groups_.Load({req.subscription_id, req.due_date, req.attempt});
  if (!context) throw Error(ErrorCode::kSubscriptionNotFound, "No such subscription.");
  const Subscription& sub = context->subscription;

  // A finished attempt answers with its result, whatever has happened since.
  const auto& existing = context->charge;
  if (existing && domain::IsSettled(existing->result)) return Finished(*existing, sub.status);

  if (existing) {
    // PENDING: a worker holds it, or died holding it (then its lease has run out).
    // UNKNOWN: the last send's outcome is not known. Either way the same
    // partner_order_id is sent again: the gateway charges at most once. This holds
    // whatever the subscription did since (ended, paused, moved to another cycle):
    // only the gateway's answer says whether the money was taken.
    clock_.Sync();  // the test clock: every process decides on the same day
    if (!subscriptions_.TakeOverClaim(existing->id, NowMs() - claim_lease_.count(), NowMs()))
      throw Error(ErrorCode::kChargeInProgress, "This attempt is being charged right now.");
    return Send(*context, *existing, true);
  }

  if (!domain::IsChargeable(sub.status))
    throw Error(ErrorCode::kSubscriptionNotChargeable,
                "The subscription is " + std::string(domain::CodeOf(sub.status)) + ".");
  if (sub.next_payment_date != req.due_date || sub.cycle_attempts + 1 != req.attempt)
    throw Error(ErrorCode::kCycleMismatch, "The subscription's current cycle is " + sub.next_payment_date.ToString() +
                                               " attempt " + std::to_string(sub.cycle_attempts + 1) + ".");
  clock_.Sync();  // the test clock: every process decides on the same day
  auto today = infra::BusinessDate(clock_.Now());
  if (sub.next_attempt_date > today)
    throw Error(ErrorCode::kCycleNotDue, "This attempt is due on " + sub.next_attempt_date.ToString() + ".");

  storage::Charge claim;
  claim.subscription_id = sub.id;
  claim.due_date = req.due_date;
  claim.attempt = req.attempt;
  claim.partner_order_id = domain::CyclePartnerOrderId(sub.id, req.due_date);
  claim.amount = context->item_price.Real() * sub.quantity;
  claim.claimed_at_ms = NowMs();
  claim.at = infra::FormatIsoTime(clock_.Now());
  // Sets claim.id and claim.result: the row as inserted, so it need not be read back.
  switch (groups_.Claim(claim, sub.item_id, sub.quantity)) {
    case storage::SubscriptionRepository::ClaimResult::kClaimed:
      break;
    case storage::SubscriptionRepository::ClaimResult::kNotChargeable:
      throw Error(ErrorCode::kSubscriptionNotChargeable, "The subscription ended or its customer withdrew.");
    case storage::SubscriptionRepository::ClaimResult::kOutOfStock:
      return OutOfStock(*context, claim);
    case storage::SubscriptionRepository::ClaimResult::kTaken: {
      auto taken = subscriptions_.FindCharge(sub.id, req.due_date, req.attempt);
      if (taken && taken->result != domain::ChargeResult::kPending) return Finished(*taken);
      throw Error(ErrorCode::kChargeInProgress, "This attempt is being charged right now.");
    }
  }
  return Send(*context, claim, false);
}

ChargeCycleResult BillingService::OutOfStock(const storage::ChargeContext& context, storage::Charge attempt) {
  const Subscription& sub = context.subscription;
  attempt.result = domain::ChargeResult::kOutOfStock;
  storage::OutcomeRow row;
  row.outcome = &attempt;
  row.seen = sub;
  row.rule = {domain::ChargeResult::kOutOfStock, attempt.due_date};
  bool recorded = false;
  {
    storage::UnitOfWork work(db_);
    recorded = subscriptions_.RecordOutOfStock(work, row);
    const Subscription& current = row.next;
    if (recorded && domain::IsChargeable(current.status)) {  // cancelled or paused meanwhile: no notice
      // Skipped: a new cycle began (its due date moved one period on).
      const bool skipped = current.next_payment_date != sub.next_payment_date;
      boost::json::object notice{{"kind", skipped ? "CYCLE_SKIPPED_OUT_OF_STOCK" : "CHARGE_OUT_OF_STOCK"},
                                 {"userId", current.user_id},
                                 {"subscriptionId", current.id},
                                 {"itemId", current.item_id},
                                 {"dueDate", attempt.due_date.ToString()},
                                 {"attempt", attempt.attempt}};
      if (skipped)
        notice["nextPaymentDate"] = current.next_payment_date.ToString();
      else
        notice["nextAttemptDate"] = current.next_attempt_date.ToString();
      std::vector<events::NewEvent> events;
      events.push_back({kEventNotify, std::to_string(current.id), std::move(notice)});
      if (events_) events_(work, events);
    }
    if (recorded) work.Commit();
  }
  if (!recorded) {
    // Another worker claimed or recorded this attempt meanwhile.
    auto taken = subscriptions_.FindCharge(sub.id, attempt.due_date, attempt.attempt);
    if (taken && domain::IsSettled(taken->result)) return Finished(*taken);
    throw Error(ErrorCode::kChargeInProgress, "This attempt is being charged right now.");
  }
  infra::LogInfo("charge out of stock",
                 {{"subscriptionId", sub.id}, {"dueDate", attempt.due_date.ToString()}, {"attempt", attempt.attempt}});
  return Finished(attempt);
}

ChargeCycleResult BillingService::Send(const storage::ChargeContext& context, storage::Charge claim, bool resending) {
  const Subscription& sub = context.subscription;
  payment::SubscriptionChargeRequest request;
  request.cid = recurring_cid_;
  request.sid = sub.sid;
  request.partner_order_id = claim.partner_order_id;
  request.partner_user_id = sub.partner_user_id;
  request.item_name = sub.product_name;
  request.item_code = std::to_string(sub.item_id);
  request.quantity = sub.quantity;
  request.total_amount = claim.amount;
  request.tax_free_amount = 0;
  auto outcome = gateway_.ChargeSubscription(request);  // no transaction or pooled connection is held here

  auto now = clock_.Now();
  auto today = infra::BusinessDate(now);
  claim.at = infra::FormatIsoTime(now);
  const auto kind = outcome.Kind();
  using payment::OutcomeKind;
  if (payment::NothingWasSent(kind)) {
    if (resending) {
      // The earlier send may have charged: the attempt stays open, with its stock.
      claim.result = domain::ChargeResult::kUnknown;
      subscriptions_.RecordUnknown(claim);
    } else {
      subscriptions_.ReleaseClaim(claim.id, sub.item_id, sub.quantity);
    }
    throw payment::GatewayUnavailableError("The payment gateway could not be reached: " + outcome.Describe());
  }

  const bool paid = kind == OutcomeKind::kSuccess || kind == OutcomeKind::kDuplicate;
  // A re-send that is neither charged nor -785 says nothing about the earlier
  // send, which may have taken the money; closing the cycle as declined would
  // leave a charge without its renewal order. After the last retry day the
  // answer is taken as it is, so a cycle cannot stay open for ever.
  const domain::Date last_retry_day =
      claim.due_date.AddDays(domain::kRetryOffsetsDays[std::size(domain::kRetryOffsetsDays) - 1]);
  const bool inconclusive = kind == OutcomeKind::kUnknown || (resending && !paid && today <= last_retry_day);

  ChargeCycleResult result;
  if (inconclusive) {
    // Kept open: the next send of this same attempt resolves it. Stock stays reserved.
    claim.result = domain::ChargeResult::kUnknown;
    subscriptions_.RecordUnknown(claim);
    result.charge = claim;
    result.open = true;
    result.subscription_status = sub.status;
    infra::LogWarn(
        "charge outcome unknown",
        {{"subscriptionId", sub.id}, {"partnerOrderId", claim.partner_order_id}, {"reason", outcome.Describe()}});
    return result;
  }

  if (paid) {
    claim.result = domain::ChargeResult::kPaid;
    if (const auto* ok = outcome.Get<payment::Success<payment::ApproveResponse>>()) claim.tid = ok->response.tid;
  } else if (kind == OutcomeKind::kSoftDecline || kind == OutcomeKind::kServerError) {
    claim.result = domain::ChargeResult::kSoftDeclined;
  } else {
    claim.result = domain::ChargeResult::kHardDeclined;
  }
  if (!paid) {
    if (const auto* d = outcome.Get<payment::SoftDecline>())
      claim.decline_code = std::to_string(d->code) + (d->method_result_code.empty() ? "" : ":" + d->method_result_code);
    else if (const auto* h = outcome.Get<payment::HardDecline>())
      claim.decline_code = std::to_string(h->code) + (h->method_result_code.empty() ? "" : ":" + h->method_result_code);
    else if (const auto* e = outcome.Get<payment::ServerError>())
      claim.decline_code = "HTTP_" + std::to_string(e->http_status);
  }

  const bool soft = claim.result == domain::ChargeResult::kSoftDeclined;
  // An attempt the subscription has left behind (it ended, paused or moved on while
  // this answer was unknown) is settled without moving the subscription.
  const bool on_cycle = domain::IsCurrentAttempt(sub, claim.due_date, claim.attempt);
  OutcomeRecord record;
  record.outcome = &claim;
  record.seen = sub;
  if (paid) {
    storage::Renewal renewal;
    renewal.user_id = sub.user_id;
    renewal.receiver = context.receiver;
    renewal.line.item_id = sub.item_id;
    renewal.line.product_name = sub.product_name;
    renewal.line.thumbnail_url = context.item_thumbnail_url;
    renewal.line.quantity = sub.quantity;
    renewal.line.period = sub.period;
    renewal.line.unit_origin_price = context.item_price.origin;
    renewal.line.unit_real_price = context.item_price.Real();
    renewal.subscription_id = sub.id;
    renewal.tid = claim.tid;  // none when the duplicate answer (-785) settled it
    if (const auto* ok = outcome.Get<payment::Success<payment::ApproveResponse>>()) renewal.aid = ok->response.aid;
    renewal.cid = recurring_cid_;
    renewal.sid = sub.sid;
    renewal.partner_order_id = claim.partner_order_id;
    renewal.partner_user_id = sub.partner_user_id;
    renewal.at = claim.at;
    renewal.at_ms = NowMs();
    record.renewal = std::move(renewal);
    record.rule = {domain::ChargeResult::kPaid, today};
  } else {
    // The reserved stock goes back: nothing ships for a declined cycle.
    record.stock_back = sub.quantity;
    record.rule = soft ? domain::CycleRule{domain::ChargeResult::kSoftDeclined, claim.due_date}
                       : domain::CycleRule{domain::ChargeResult::kHardDeclined, {}};
  }
  // The rule moves the subscription only while it is on this attempt (checked again
  // on the row storage locks); an attempt it has left behind is settled alone.
  record.rule.due_date = claim.due_date;
  record.rule.attempt = claim.attempt;
  // The sales count of a renewal is written by ChargeGroups, one event per group.
  record.events = [&claim, paid, on_cycle](const Subscription& current) {
    std::vector<events::NewEvent> events;
    if (!paid && !on_cycle) return events;  // nothing changed for the customer
    if (paid) {
      events.push_back({kEventNotify,
                        std::to_string(current.id),
                        {{"kind", "CHARGE_SUCCEEDED"},
                         {"userId", current.user_id},
                         {"subscriptionId", current.id},
                         {"amount", claim.amount},
                         {"nextPaymentDate", current.next_payment_date.ToString()}}});
    } else {
      bool failed = current.status == domain::SubscriptionStatus::kPaymentFailed;
      events.push_back({kEventNotify,
                        std::to_string(current.id),
                        {{"kind", failed ? "SUBSCRIPTION_PAYMENT_FAILED" : "CHARGE_DECLINED"},
                         {"userId", current.user_id},
                         {"subscriptionId", current.id},
                         {"declineCode", claim.decline_code.value_or("")},
                         {"nextAttemptDate", current.next_attempt_date.ToString()}}});
      // The SID of a failed subscription is released by ChargeGroups, in the same
      // transaction, only if no sibling subscription still uses it.
    }
    return events;
  };
  auto recorded = groups_.Record(record);
  if (!recorded.recorded) {
    // Another worker recorded this attempt meanwhile: answer with what it recorded.
    if (auto done = subscriptions_.FindCharge(claim.subscription_id, claim.due_date, claim.attempt))
      return Finished(*done);
  }
  result.charge = claim;
  result.subscription_status = recorded.status;
  return result;
}

}  // namespace pillivery::service
