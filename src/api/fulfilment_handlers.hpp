#pragma once
// /api/admin/fulfilment/queue and /api/admin/orders/{id}/ship|deliver (ADMIN).
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/ordering/fulfilment_service.hpp"

namespace pillivery::api {

class FulfilmentHandlers {
 public:
  explicit FulfilmentHandlers(service::FulfilmentService& fulfilment) : fulfilment_(fulfilment) {}

  http::Response Queue(http::Request& request, const domain::Principal& admin);
  http::Response Ship(http::Request& request, const domain::Principal& admin);
  http::Response Deliver(http::Request& request, const domain::Principal& admin);

 private:
  service::FulfilmentService& fulfilment_;
};

}  // namespace pillivery::api
