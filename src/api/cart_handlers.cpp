#include "api/cart_handlers.hpp"

#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

namespace {
domain::CartKind KindOf(const http::Request& request) {
  auto kind = domain::ParseCartKind(request.PathParam("kind").value_or(""));
  if (!kind) throw domain::Error(domain::ErrorCode::kCartNotFound, "Carts are 'normal' or 'subscription'.");
  return *kind;
}
}  // namespace

http::Response CartHandlers::Get(http::Request& request, const domain::Principal& caller) {
  return http::Response::Data(200, CartJson(carts_.Get(caller.user_id, KindOf(request))));
}

http::Response CartHandlers::AddLine(http::Request& request, const domain::Principal& caller) {
  auto kind = KindOf(request);
  auto body = StrictJsonBody(request);
  domain::Validator v;
  auto item_id = IntField(body, "itemId", v, 1, INT64_MAX);
  auto quantity = IntField(body, "quantity", v);
  auto period = IntField(body, "period", v);
  v.Check(item_id.has_value() || !v.Ok(), "itemId", "required");
  v.Check(quantity.has_value() || !v.Ok(), "quantity", "required");
  v.ThrowIfAny();
  domain::LineRequest line{*item_id, static_cast<int>(*quantity),
                           period ? std::optional<int>(static_cast<int>(*period)) : std::nullopt};
  return http::Response::Data(201, CartJson(carts_.Add(caller.user_id, kind, line)));
}

http::Response CartHandlers::UpdateLine(http::Request& request, const domain::Principal& caller) {
  auto kind = KindOf(request);
  auto item_id = PathId(request, "itemId");
  auto body = StrictJsonBody(request);
  domain::Validator v;
  auto quantity = IntField(body, "quantity", v);
  auto period = IntField(body, "period", v);
  v.ThrowIfAny();
  auto as_int = [](std::optional<std::int64_t> x) {
    return x ? std::optional<int>(static_cast<int>(*x)) : std::nullopt;
  };
  return http::Response::Data(200,
                              CartJson(carts_.Update(caller.user_id, kind, item_id, as_int(quantity), as_int(period))));
}

http::Response CartHandlers::RemoveLine(http::Request& request, const domain::Principal& caller) {
  auto kind = KindOf(request);
  return http::Response::Data(200, CartJson(carts_.Remove(caller.user_id, kind, PathId(request, "itemId"))));
}

}  // namespace pillivery::api
