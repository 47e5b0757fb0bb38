#pragma once
// What the simulator's routes work with, handed over by app/pg_simulator_main.cpp.
#include "http/router.hpp"
#include "simulator/faults.hpp"
#include "simulator/offset_clock.hpp"
#include "simulator/simulated_gateway.hpp"

#include <memory>
#include <string>

namespace pillivery::simulator {

struct SimulatorServices {
  Gateway* gateway = nullptr;
  FaultInjector* faults = nullptr;
  OffsetClock* clock = nullptr;  // null: no /__clock endpoint
  std::string secret_key;        // empty: any non-empty key is accepted
  std::string public_base_url;   // empty: "http://" + the request's Host header
  // Where the KakaoPay endpoints run once their latency is over. kInline (on
  // the I/O thread, no hand-over to a pool) suits a gateway that keeps its
  // state in memory; one that writes to a file must not block an I/O thread.
  http::Execution payment_execution = http::Execution::kBlocking;
};

// One copy shared by every handler of a router, so the handlers outlive the
// caller's struct (the services it points to must outlive the router).
using SharedServices = std::shared_ptr<const SimulatorServices>;

}  // namespace pillivery::simulator
