#pragma once
// One batch worker's connection to an API server: sends
// POST /internal/subscriptions/{id}/charge and reads what became of the cycle.
#include "domain/date.hpp"

#include <curl/curl.h>

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
  ChargeClient(std::string api_url, const std::string& internal_token, std::chrono::milliseconds timeout);
  ~ChargeClient();
  ChargeClient(const ChargeClient&) = delete;
  ChargeClient& operator=(const ChargeClient&) = delete;

  Answer Charge(const Cycle& cycle);

 private:
  std::string api_url_;
  std::string token_header_;
  std::string answer_;  // the response body, reused between charges
  CURL* curl_;
};

}  // namespace pillivery::batch
