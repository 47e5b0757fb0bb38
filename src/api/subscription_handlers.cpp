#include "api/subscription_handlers.hpp"

#include "api/item_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

namespace {
// A whole address object (every field required), field errors named "<name>.<field>".
domain::Receiver ParseAddress(const boost::json::value& value, const std::string& name, domain::Validator& v) {
  domain::Receiver address;
  if (!value.is_object()) {
    v.Add(name, "must be an object {name, phone, city, detailAddress}");
    return address;
  }
  const auto& a = value.as_object();
  address.name = StringField(a, "name", v).value_or("");
  address.phone = StringField(a, "phone", v).value_or("");
  address.city = StringField(a, "city", v).value_or("");
  address.detail_address = StringField(a, "detailAddress", v).value_or("");
  return address;
}
}  // namespace

boost::json::object SubscriptionJson(const domain::Subscription& s) {
  boost::json::object out{{"subscriptionId", s.id},
                          {"itemId", s.item_id},
                          {"productName", s.product_name},
                          {"quantity", s.quantity},
                          {"period", s.period},
                          {"status", domain::CodeOf(s.status)},
                          {"lastPaidDate", s.last_paid_date.ToString()},
                          {"nextPaymentDate", s.next_payment_date.ToString()},
                          {"nextAttemptDate", s.next_attempt_date.ToString()},
                          {"upcomingAmount", s.upcoming_amount},
                          {"sourceOrderId", s.source_order_id},
                          {"createdAt", s.created_at},
                          {"deliveryAddress",
                           {{"name", s.delivery_address.name},
                            {"phone", s.delivery_address.phone},
                            {"city", s.delivery_address.city},
                            {"detailAddress", s.delivery_address.detail_address}}}};
  if (s.cancel_reason) out["cancelReason"] = *s.cancel_reason;
  return out;
}

boost::json::object ChargeJson(const storage::Charge& c) {
  boost::json::object out{
      {"chargeId", c.id},
      {"dueDate", c.due_date.ToString()},
      {"attempt", c.attempt},
      {"partnerOrderId", c.partner_order_id},
      {"amount", c.amount},
      // A claim still held answers as UNKNOWN: the client cannot tell the two apart.
      {"result",
       domain::CodeOf(c.result == domain::ChargeResult::kPending ? domain::ChargeResult::kUnknown : c.result)},
      {"at", c.at}};
  if (c.decline_code) out["declineCode"] = *c.decline_code;
  if (c.tid) out["tid"] = *c.tid;
  if (c.renewal_order_id) out["renewalOrderId"] = *c.renewal_order_id;
  return out;
}

http::Response SubscriptionPageResponse(const storage::SubscriptionPage& page, const domain::PageRequest& request) {
  boost::json::array data;
  for (const auto& s : page.subscriptions) data.push_back(SubscriptionJson(s));
  return PageResponse(std::move(data), request, page.total);
}

http::Response SubscriptionHandlers::List(http::Request& request, const domain::Principal& caller) {
  domain::Validator v;
  auto status = EnumQuery(request, "status", domain::ParseSubscriptionStatus, v);
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  return SubscriptionPageResponse(subscriptions_.List(caller.user_id, status, page), page);
}

http::Response SubscriptionHandlers::Get(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Get(caller.user_id, PathId(request, "id"))));
}

http::Response SubscriptionHandlers::Update(http::Request& request, const domain::Principal& caller) {
  auto id = PathId(request, "id");
  auto body = StrictJsonBody(request);
  domain::Validator v;
  service::SubscriptionPatch patch;
  if (auto period = IntField(body, "period", v, 7, 180)) patch.period = static_cast<int>(*period);
  if (auto quantity = IntField(body, "quantity", v, 1, 99)) patch.quantity = static_cast<int>(*quantity);
  if (auto it = body.find("deliveryAddress"); it != body.end()) {
    patch.delivery_address = ParseAddress(it->value(), "deliveryAddress", v);  // validated by the domain rule
  }
  v.ThrowIfAny();
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Update(caller.user_id, id, patch)));
}

http::Response SubscriptionHandlers::Skip(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Skip(caller.user_id, PathId(request, "id"))));
}
http::Response SubscriptionHandlers::Pause(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Pause(caller.user_id, PathId(request, "id"))));
}
http::Response SubscriptionHandlers::Resume(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Resume(caller.user_id, PathId(request, "id"))));
}
http::Response SubscriptionHandlers::Cancel(http::Request& request, const domain::Principal& caller) {
  auto id = PathId(request, "id");
  std::optional<std::string> reason;
  if (request.body.find_first_not_of(" \t\r\n") != std::string::npos) {  // the body {reason} is optional
    auto body = StrictJsonBody(request);
    domain::Validator v;
    reason = StringField(body, "reason", v);
    v.ThrowIfAny();
  }
  return http::Response::Data(200, SubscriptionJson(subscriptions_.Cancel(caller.user_id, id, std::move(reason))));
}

http::Response SubscriptionHandlers::Charges(http::Request& request, const domain::Principal& caller) {
  domain::Validator v;
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  auto result = subscriptions_.Charges(caller.user_id, PathId(request, "id"), page);
  boost::json::array data;
  for (const auto& c : result.charges) data.push_back(ChargeJson(c));
  return PageResponse(std::move(data), page, result.total);
}

}  // namespace pillivery::api
