#pragma once
// The simulator's HTTP surface in one route table: the KakaoPay endpoints of
// both generations, the approval page and the control endpoints (/__*).
// Handlers only parse, apply faults, call the Gateway and shape JSON.
#include "http/router.hpp"
#include "simulator/simulator_services.hpp"

namespace pillivery::simulator {

// The services must outlive the router.
void AddSimulatorRoutes(http::Router& router, const SimulatorServices& services);

}  // namespace pillivery::simulator
