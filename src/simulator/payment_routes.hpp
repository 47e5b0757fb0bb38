#pragma once
// The seven KakaoPay endpoints of one generation under one base path: each
// call is decided once (faults, latency), authorized, parsed and handed to
// the Gateway, and its answer shaped by wire_json.
#include "http/router.hpp"
#include "simulator/simulator_services.hpp"
#include "simulator/wire_json.hpp"

#include <string>

namespace pillivery::simulator {

// base: "/online/v1/payment/" (kCurrent) or "/v1/payment/" (kLegacy).
void AddPaymentRoutes(http::Router& router, const SharedServices& services, const std::string& base, Generation gen);

}  // namespace pillivery::simulator
