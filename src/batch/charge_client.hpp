#pragma once
// One batch worker's connection to an API server: sends
// POST /internal/subscriptions/{id}/charge and reads what became of the cycle.
#include "domain/date.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace pillivery::batch {

// One attempt at one subscription's cycle.
struct Cycle {
  std::int64_t id = 0;
  domain::Date due;
  int attempt = 1;
};

enum class Answer { kPaid, kSoftDeclined, kHardDeclined, kUnknown, kSkipped, kRetryLater, kError };

// Lives as long as its worker: the libcurl handle keeps its connection to the
// API server alive from one charge to the next, so a run opens one connection
// per worker, not one per charge. Not thread-safe: one per worker thread.
class ChargeClient {
 public:
  // `stop` (may be null): once set, a charge in flight is abandoned within
  // about a second (its answer counts as unknown; the cycle stays due).
  ChargeClient(std::string api_url, const std::string& internal_token, std::chrono::milliseconds timeout,
               const std::atomic<bool>* stop = nullptr);
  ~ChargeClient();
  ChargeClient(const ChargeClient&) = delete;
  ChargeClient& operator=(const ChargeClient&) = delete;

  Answer Charge(const Cycle& cycle);

 private:
  std::string api_url_;
  std::string token_header_;
  std::string answer_;  // the response body, reused between charges
  const std::atomic<bool>* stop_;
  CURL* curl_;
};

}  // namespace pillivery::batch
