#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "infra/clock.hpp"
#include "service/payments/payment_service.hpp"
#include "storage/idempotency_repository.hpp"

namespace pillivery::api {

// POST /api/orders/{id}/payment and the KakaoPay redirects.
class PaymentHandlers {
 public:
  PaymentHandlers(service::PaymentService& payments, storage::IdempotencyRepository& idempotency,
                  const infra::Clock& clock, std::string storefront_result_url)
      : payments_(payments),
        idempotency_(idempotency),
        clock_(clock),
        storefront_result_url_(std::move(storefront_result_url)) {}

  http::Response Ready(http::Request& request, const domain::Principal& caller);
  http::Response Approve(http::Request& request);
  http::Response Cancel(http::Request& request);
  http::Response Fail(http::Request& request);

 private:
  // 302 to the storefront's result page, or JSON when the client asks for it.
  http::Response Result(const http::Request& request, std::int64_t order_id, const std::string& outcome,
                        const boost::json::object& data);
  service::PaymentService& payments_;
  storage::IdempotencyRepository& idempotency_;
  const infra::Clock& clock_;
  std::string storefront_result_url_;
};

}  // namespace pillivery::api
