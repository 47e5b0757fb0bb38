#include "api/order_handlers.hpp"

#include "api/idempotency.hpp"
#include "api/item_json.hpp"
#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

namespace {

domain::Receiver ParseReceiver(const boost::json::object& body, domain::Validator& v) {
  domain::Receiver receiver;
  auto it = body.find("receiver");
  if (it == body.end() || !it->value().is_object()) {
    v.Add("receiver", "required object {name, phone, city, detailAddress}");
    return receiver;
  }
  const auto& r = it->value().as_object();
  receiver.name = StringField(r, "name", v).value_or("");
  receiver.phone = StringField(r, "phone", v).value_or("");
  receiver.city = StringField(r, "city", v).value_or("");
  receiver.detail_address = StringField(r, "detailAddress", v).value_or("");
  return receiver;
}

std::vector<domain::LineRequest> ParseLines(const boost::json::object& body, domain::Validator& v) {
  std::vector<domain::LineRequest> lines;
  auto it = body.find("lines");
  if (it == body.end() || it->value().is_null()) return lines;
  if (!it->value().is_array()) {
    v.Add("lines", "must be an array");
    return lines;
  }
  const auto& array = it->value().as_array();
  if (array.size() > 100) {
    v.Add("lines", "at most 100 lines");
    return lines;
  }
  for (size_t i = 0; i < array.size(); ++i) {
    std::string prefix = "lines[" + std::to_string(i) + "].";
    if (!array[i].is_object()) {
      v.Add("lines[" + std::to_string(i) + "]", "must be an object");
      continue;
    }
    const auto& line = array[i].as_object();
    domain::Validator inner;
    auto item_id = IntField(line, "itemId", inner, 1, INT64_MAX);
    auto quantity = IntField(line, "quantity", inner);
    auto period = IntField(line, "period", inner);
    for (const auto& e : inner.Errors()) v.Add(prefix + e.field, e.reason);
    lines.push_back({item_id.value_or(0), static_cast<int>(quantity.value_or(0)),
                     period ? std::optional<int>(static_cast<int>(*period)) : std::nullopt});
  }
  return lines;
}

}  // namespace

http::Response OrderPageResponse(const storage::OrderPage& page, const domain::PageRequest& request) {
  boost::json::array data;
  for (const auto& order : page.orders) data.push_back(OrderJson(order));
  return PageResponse(std::move(data), request, page.total);
}

http::Response OrderHandlers::Place(http::Request& request, const domain::Principal& caller) {
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  return RunIdempotent(idempotency_, request, caller.user_id, "orders", now_ms, [&] {
    auto body = StrictJsonBody(request);
    domain::Validator v;
    service::PlaceOrder place;
    auto type_text = RequiredStringField(body, "type", v);
    auto type = domain::ParseOrderType(type_text);
    if (!type && !type_text.empty()) v.Add("type", "must be ONE_TIME or SUBSCRIPTION");
    place.type = type.value_or(domain::OrderType::kOneTime);
    place.from_cart = BoolField(body, "fromCart", v).value_or(false);
    place.lines = ParseLines(body, v);
    place.receiver = ParseReceiver(body, v);
    place.idempotency_key = IdempotencyKey(request);
    v.ThrowIfAny();
    return http::Response::Data(201, OrderJson(orders_.Place(caller.user_id, place)));
  });
}

http::Response OrderHandlers::List(http::Request& request, const domain::Principal& caller) {
  domain::Validator v;
  auto status = EnumQuery(request, "status", domain::ParseOrderStatus, v);
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  return OrderPageResponse(orders_.List(caller.user_id, status, page), page);
}

http::Response OrderHandlers::Get(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, OrderJson(orders_.Get(caller.user_id, PathId(request, "id"))));
}

http::Response OrderHandlers::Cancel(http::Request& request, const domain::Principal& caller) {
  auto order_id = PathId(request, "id");
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
  return RunIdempotent(idempotency_, request, caller.user_id, "order-cancel:" + std::to_string(order_id), now_ms,
                       [&] { return http::Response::Data(200, OrderJson(orders_.Cancel(caller.user_id, order_id))); });
}

}  // namespace pillivery::api
