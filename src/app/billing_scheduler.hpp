#pragma once
// Single-node mode: `serve` runs the billing job itself once a day at the
// configured local time, charging through the ChargeCycles it is given (the
// in-process adapter in `serve`). One date runs once even with several
// processes: the run takes the date's row in billing_run_locks.
#include "batch/batch_runner.hpp"
#include "batch/charge_cycles.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "infra/periodic_task.hpp"
#include "storage/billing_run_lock_repository.hpp"
#include "storage/subscription_repository.hpp"

#include <atomic>
#include <chrono>

namespace pillivery::app {

class BillingScheduler {
 public:
  BillingScheduler(storage::SubscriptionRepository& subscriptions, storage::BillingRunLockRepository& locks,
                   batch::ChargeCycles& charges, const infra::Clock& clock, std::string at_local_time)
      : subscriptions_(subscriptions),
        locks_(locks),
        charges_(charges),
        clock_(clock),
        at_(std::move(at_local_time)),
        task_("scheduled billing check", std::chrono::seconds(60), infra::PeriodicTask::FirstTick::kAtStart,
              [this] { Tick(); }) {}

  void Start() {
    if (task_.Running()) return;
    stop_ = false;
    task_.Start();
  }
  // Returns once the charges in flight are answered (over HTTP: within about a
  // second, they are abandoned; in process: when their gateway calls return)
  // while a run is charging: the run stops sending and is recorded INCOMPLETE;
  // its lock is released so a later tick (or process) finishes the date.
  void Stop() {
    stop_ = true;
    task_.Stop();
  }

  // Runs the job for `date` unless some process already ran or is running it; true if it ran.
  bool RunOnce(const domain::Date& date) {
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
    if (locks_.Acquire(date, "scheduler", now_ms, 6 * 3600 * 1000LL) != storage::RunLock::kAcquired) return false;
    batch::BatchOptions options;
    options.date = date;
    options.stop = &stop_;
    auto result = batch::RunBilling(subscriptions_, charges_, clock_, options);
    if (result.completed)
      locks_.Complete(date);
    else
      locks_.Release(date);  // a later tick may finish it
    return true;
  }

 private:
  // Once a minute: past the configured time, run today's job (once per date).
  void Tick() {
    clock_.Sync();  // the test clock may have moved in another process
    auto now = clock_.Now();
    domain::Date date = infra::BusinessDate(now);
    std::string time = infra::FormatIsoTime(now).substr(11, 5);  // HH:MM in the business zone
    if (time < at_) return;
    try {
      RunOnce(date);
    } catch (const std::exception& e) {
      infra::LogError("scheduled billing run failed", {{"date", date.ToString()}, {"error", e.what()}});
    }
  }

  storage::SubscriptionRepository& subscriptions_;
  storage::BillingRunLockRepository& locks_;
  batch::ChargeCycles& charges_;
  const infra::Clock& clock_;
  std::string at_;
  std::atomic<bool> stop_{false};
  infra::PeriodicTask task_;  // last: its thread stops before the members it uses go
};

}  // namespace pillivery::app
