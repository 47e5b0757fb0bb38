#pragma once
// Deletes Idempotency-Key records older than the retention (at least 24 hours),
// at start and then every hour, on its own thread. Safe with several server
// processes: a purge is one DELETE by age.
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "infra/periodic_task.hpp"
#include "storage/idempotency_repository.hpp"

#include <chrono>

namespace pillivery::app {

class IdempotencyPurger {
 public:
  IdempotencyPurger(storage::IdempotencyRepository& keys, const infra::Clock& clock, std::chrono::hours retention,
                    std::chrono::milliseconds interval = std::chrono::hours(1))
      : task_("idempotency key purge", interval, infra::PeriodicTask::FirstTick::kAtStart, [&keys, &clock, retention] {
          auto cutoff = clock.Now() - retention;
          auto cutoff_ms = std::chrono::duration_cast<std::chrono::milliseconds>(cutoff.time_since_epoch()).count();
          if (int purged = keys.Purge(cutoff_ms); purged > 0)
            infra::LogInfo("idempotency keys purged", {{"count", purged}});
        }) {}

  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  infra::PeriodicTask task_;
};

}  // namespace pillivery::app
