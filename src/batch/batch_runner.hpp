#pragma once
// The daily billing job (`pillivery batch run --date D`): finds what is due on
// D in pages (never the whole table), charges each cycle through the API
// servers' internal endpoint with bounded concurrency and an Idempotency-Key,
// and records the run with its counts per outcome.
#include "domain/date.hpp"
#include "storage/subscription_repository.hpp"

#include <atomic>
#include <chrono>
#include <string>

namespace pillivery::batch {

struct BatchOptions {
  domain::Date date;
  // e.g. http://127.0.0.1:8080; several, comma-separated, spread the workers over the servers.
  std::string api_url;
  std::string internal_token;
  int concurrency = 16;
  int page_size = 500;
  // Cycles whose outcome came back UNKNOWN or that could not be sent are tried
  // again in later passes of the same run (same cycle, same partner_order_id).
  int passes = 3;
  std::chrono::milliseconds request_timeout{60'000};
  // Set by another thread to end the run early (shutdown): no further charge
  // starts, charges in flight are abandoned, the run is recorded INCOMPLETE
  // and what it did not charge stays due for the next run (never charged twice).
  const std::atomic<bool>* stop = nullptr;
};

struct BatchResult {
  storage::BatchRun run;
  bool completed = false;  // every due cycle got an answer (paid, declined or skipped)
};

BatchResult RunBilling(storage::SubscriptionRepository& subscriptions, const BatchOptions& options);

}  // namespace pillivery::batch
