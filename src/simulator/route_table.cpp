#include "simulator/route_table.hpp"
#include "simulator/approval_page.hpp"
#include "simulator/control_routes.hpp"
#include "simulator/payment_routes.hpp"

#include <memory>

namespace pillivery::simulator {

void AddSimulatorRoutes(http::Router& router, const SimulatorServices& services) {
  auto s = std::make_shared<const SimulatorServices>(services);
  AddPaymentRoutes(router, s, "/online/v1/payment/", Generation::kCurrent);
  AddPaymentRoutes(router, s, "/v1/payment/", Generation::kLegacy);
  AddApprovalPage(router, s);
  AddControlRoutes(router, s);
}

}  // namespace pillivery::simulator
