#pragma once
// The daily billing job (`pillivery batch run --date D`, or `serve`'s own
// scheduler): finds what is due on D in pages (never the whole table), charges
// each cycle through a ChargeCycles adapter with bounded concurrency, and
// records the run with its counts per outcome.
#include "batch/charge_cycles.hpp"
#include "domain/date.hpp"
#include "infra/clock.hpp"
#include "storage/subscription_repository.hpp"

#include <atomic>

namespace pillivery::batch {

struct BatchOptions {
  domain::Date date;
  int concurrency = 16;
  int page_size = 500;
  // Cycles whose outcome came back UNKNOWN or that could not be sent are tried
  // again in later passes of the same run (same cycle, same partner_order_id).
  int passes = 3;
  // Set by another thread to end the run early (shutdown): no further charge
  // starts, charges in flight are abandoned, the run is recorded INCOMPLETE
  // and what it did not charge stays due for the next run (never charged twice).
  const std::atomic<bool>* stop = nullptr;
};

struct BatchResult {
  storage::BatchRun run;
  bool completed = false;  // every due cycle got an answer (paid, declined or skipped)
};

// `clock` stamps the run record (started, finished): the injected clock, so a test
// clock moves it too.
BatchResult RunBilling(storage::SubscriptionRepository& subscriptions, ChargeCycles& charges, const infra::Clock& clock,
                       const BatchOptions& options);

}  // namespace pillivery::batch
