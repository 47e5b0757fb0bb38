#pragma once
// GET|POST /api/admin/test-clock (ADMIN; routed only when PILLIVERY_TEST_CLOCK=true).
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/operations/test_clock_service.hpp"

namespace pillivery::api {

class TestClockHandlers {
 public:
  explicit TestClockHandlers(service::TestClockService& clock) : clock_(clock) {}

  http::Response Read(http::Request& request, const domain::Principal& admin);
  http::Response Advance(http::Request& request, const domain::Principal& admin);

 private:
  service::TestClockService& clock_;
};

}  // namespace pillivery::api
