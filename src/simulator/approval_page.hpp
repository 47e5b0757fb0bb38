#pragma once
// The page a customer's browser is sent to after ready (/__pay/{tid}): pay,
// quit or fail, each answered with a redirect to the shop's URL.
#include "http/router.hpp"
#include "simulator/simulator_services.hpp"

namespace pillivery::simulator {

void AddApprovalPage(http::Router& router, const SharedServices& services);

}  // namespace pillivery::simulator
