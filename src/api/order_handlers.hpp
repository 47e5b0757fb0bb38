#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "infra/clock.hpp"
#include "service/ordering/order_service.hpp"
#include "storage/idempotency_repository.hpp"

namespace pillivery::api {

// /api/orders…: the caller's own orders.
class OrderHandlers {
 public:
  OrderHandlers(service::OrderService& orders, storage::IdempotencyRepository& idempotency, const infra::Clock& clock)
      : orders_(orders), idempotency_(idempotency), clock_(clock) {}

  http::Response Place(http::Request& request, const domain::Principal& caller);
  http::Response List(http::Request& request, const domain::Principal& caller);
  http::Response Get(http::Request& request, const domain::Principal& caller);
  http::Response Cancel(http::Request& request, const domain::Principal& caller);

 private:
  service::OrderService& orders_;
  storage::IdempotencyRepository& idempotency_;
  const infra::Clock& clock_;
};

// {"data": [orders…], "pageInfo": …}
http::Response OrderPageResponse(const storage::OrderPage& page, const domain::PageRequest& request);

}  // namespace pillivery::api
