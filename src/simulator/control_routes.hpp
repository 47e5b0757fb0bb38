#pragma once
// The control endpoints (/__health, /__ledger, /__reset, /__faults, /__clock):
// what tests and operators use to look at and steer the simulator. Never faulted.
#include "http/router.hpp"
#include "simulator/simulator_services.hpp"

namespace pillivery::simulator {

void AddControlRoutes(http::Router& router, const SharedServices& services);

}  // namespace pillivery::simulator
