#pragma once
// One connection to an API server: sends POST /internal/subscriptions/{id}/charge
// and reads what became of the cycle. HttpChargeCycles keeps one per charge in flight.
#include "batch/charge_cycles.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <string>

namespace pillivery::batch {

// The libcurl handle keeps its connection to the API server alive from one
// charge to the next, so a run opens one connection per worker, not one per
// charge. Not thread-safe: one charge at a time.
class ChargeClient {
 public:
  ChargeClient(std::string api_url, const std::string& internal_token, std::chrono::milliseconds timeout);
  ~ChargeClient();
  ChargeClient(const ChargeClient&) = delete;
  ChargeClient& operator=(const ChargeClient&) = delete;

  // `stop` (may be null): once set, the charge in flight is abandoned within
  // about a second (kRetryLater; the cycle stays due).
  Answer Charge(const Cycle& cycle, const std::atomic<bool>* stop);

 private:
  std::string api_url_;
  std::string token_header_;
  std::string answer_;  // the response body, reused between charges
  CURL* curl_;
};

}  // namespace pillivery::batch
