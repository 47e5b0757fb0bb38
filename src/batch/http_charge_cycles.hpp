#pragma once
// The charge-cycle port over HTTP: the batch host charges through the API
// servers' POST /internal/subscriptions/{id}/charge with the cycle's
// Idempotency-Key (`pillivery batch run`, the production topology).
#include "batch/charge_client.hpp"
#include "batch/charge_cycles.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pillivery::batch {

struct HttpChargeOptions {
  // e.g. http://127.0.0.1:8080; several, comma-separated, spread the connections over the servers.
  std::string api_url;
  std::string internal_token;
  std::chrono::milliseconds request_timeout{60'000};
};

// Keeps one ChargeClient (one keep-alive connection) per charge in flight: a
// worker takes an idle one and gives it back, so a run of N workers opens N
// connections for its whole length, the k-th to server k mod (number of servers).
class HttpChargeCycles final : public ChargeCycles {
 public:
  explicit HttpChargeCycles(HttpChargeOptions options);
  Answer Charge(const Cycle& cycle, const std::atomic<bool>* stop) override;

 private:
  std::unique_ptr<ChargeClient> Take();
  void Give(std::unique_ptr<ChargeClient> client);

  HttpChargeOptions options_;
  std::vector<std::string> urls_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ChargeClient>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace pillivery::batch
