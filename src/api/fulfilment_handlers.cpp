#include "api/fulfilment_handlers.hpp"

#include "api/order_handlers.hpp"
#include "api/order_json.hpp"
#include "api/params.hpp"
#include "api/strict_json.hpp"

namespace pillivery::api {

http::Response FulfilmentHandlers::Queue(http::Request& request, const domain::Principal&) {
  domain::Validator v;
  auto page = domain::ParsePageRequest(QueryMap(request), v);
  v.ThrowIfAny();
  return OrderPageResponse(fulfilment_.Queue(page), page);
}

http::Response FulfilmentHandlers::Ship(http::Request& request, const domain::Principal&) {
  auto id = PathId(request, "id");
  auto body = StrictJsonBody(request);
  domain::Validator v;
  domain::ShipRequest ship;
  ship.carrier = RequiredStringField(body, "carrier", v);
  ship.tracking_number = RequiredStringField(body, "trackingNumber", v);
  v.ThrowIfAny();
  return http::Response::Data(200, OrderJson(fulfilment_.Ship(id, ship)));
}

http::Response FulfilmentHandlers::Deliver(http::Request& request, const domain::Principal&) {
  return http::Response::Data(200, OrderJson(fulfilment_.Deliver(PathId(request, "id"))));
}

}  // namespace pillivery::api
