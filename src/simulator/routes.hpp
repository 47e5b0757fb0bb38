#pragma once
// The simulator's HTTP surface, in one route table: the KakaoPay endpoints of
// both generations, the approval page and the control endpoints (/__*).
// Handlers only parse, apply faults, call the Gateway and shape JSON.
#include "http/router.hpp"
#include "simulator/faults.hpp"
#include "simulator/offset_clock.hpp"
#include "simulator/simulated_gateway.hpp"

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

// The services must outlive the router.
void AddSimulatorRoutes(http::Router& router, const SimulatorServices& services);

// "2024-05-01T12:34:56", KakaoPay's timestamp form (local time, no offset).
std::string KakaoTime(TimePoint t);

}  // namespace pillivery::simulator
