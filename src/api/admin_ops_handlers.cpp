#include "api/admin_ops_handlers.hpp"

#include "api/idempotency.hpp"
#include "api/item_json.hpp"
#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"
#include "api/subscription_handlers.hpp"
#include "infra/clock.hpp"

#include <boost/json/parse.hpp>

namespace pillivery::api {

http::Response AdminOpsHandlers::Refund(http::Request& request, const domain::Principal& admin) {
  auto order_id = PathId(request, "id");
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  // A retried refund (same Idempotency-Key) answers the first one: money moves once.
  return RunIdempotent(idempotency_, request, admin.user_id, "admin-refund:" + std::to_string(order_id), now_ms, [&] {
    auto body = StrictJsonBody(request);
    domain::Validator v;
    service::RefundRequest refund;
    auto amount = IntField(body, "amount", v, 1, 1'000'000'000'000);
    if (!amount && v.Ok()) v.Add("amount", "required");
    refund.amount = amount.value_or(0);
    refund.outside_gateway = BoolField(body, "outsideGateway", v).value_or(false);
    refund.reason = StringField(body, "reason", v);
    if (refund.outside_gateway && (!refund.reason || refund.reason->empty()))
      v.Add("reason", "required when the refund was made outside the gateway");
    if (refund.reason && refund.reason->size() > 500) v.Add("reason", "at most 500 characters");
    if (refund.reason && !refund.outside_gateway) v.Add("reason", "only for a refund made outside the gateway");
    v.ThrowIfAny();
    return http::Response::Data(200, OrderJson(payments_.Refund(order_id, refund)));
  });
}

http::Response AdminOpsHandlers::Subscriptions(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  auto status = EnumQuery(request, "status", domain::ParseSubscriptionStatus, v);
  auto due_on = EnumQuery(request, "dueOn", domain::Date::Parse, v);
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  return SubscriptionPageResponse(subscriptions_.List(std::nullopt, status, due_on, page), page);
}

http::Response AdminOpsHandlers::BatchRuns(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  std::int64_t total = 0;
  boost::json::array data;
  for (const auto& run : subscriptions_.Runs(page, total)) {
    boost::json::object r{{"runId", run.id},
                          {"date", run.run_date},
                          {"status", domain::CodeOf(run.status)},
                          {"startedAt", run.started_at},
                          {"counts",
                           {{"due", run.due},
                            {"paid", run.paid},
                            {"softDeclined", run.soft_declined},
                            {"hardDeclined", run.hard_declined},
                            {"unknown", run.unknown},
                            {"skipped", run.skipped},
                            {"errors", run.errors}}}};
    if (run.finished_at) r["finishedAt"] = *run.finished_at;
    data.push_back(std::move(r));
  }
  return PageResponse(std::move(data), page, total);
}

http::Response AdminOpsHandlers::DeadEvents(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  auto dead = outbox_.ListDead(page.page, page.size);
  boost::json::array data;
  for (const auto& record : dead.events)
    data.push_back({{"eventId", record.event.id},
                    {"type", record.event.type},
                    {"aggregateId", record.event.aggregate_id},
                    {"payload", record.event.payload},
                    {"attempts", record.event.attempts},
                    {"lastError", record.last_error},
                    {"createdAt", infra::FormatIsoTime(record.event.created_at)}});
  return PageResponse(std::move(data), page, dead.total);
}

http::Response AdminOpsHandlers::ReplayEvent(http::Request& request, const domain::Principal&) {
  auto id = PathId(request, "id");
  outbox_.Replay(id);
  return http::Response::Data(
      200, boost::json::object{{"eventId", id}, {"status", events::CodeOf(events::EventStatus::kPending)}});
}

}  // namespace pillivery::api
