#pragma once
// Single-node mode: `serve` runs the billing job itself once a day at the
// configured local time. One date runs once even with several processes: the
// run claims the key billing-run/<date> in idempotency_keys (a unique row).
#include "batch/batch_runner.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "storage/idempotency_repository.hpp"
#include "storage/subscription_repository.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace pillivery::app {

class BillingScheduler {
 public:
  BillingScheduler(storage::SubscriptionRepository& subscriptions, storage::IdempotencyRepository& claims,
                   const infra::Clock& clock, std::string at_local_time)
      : subscriptions_(subscriptions), claims_(claims), clock_(clock), at_(std::move(at_local_time)) {}
  ~BillingScheduler() { Stop(); }

  void Start(std::string api_url, std::string token) {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    api_url_ = std::move(api_url);
    token_ = std::move(token);
    stopping_ = false;
    thread_ = std::thread([this] { Loop(); });
  }
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  // Runs the job for `date` unless some process already ran or is running it; true if it ran.
  bool RunOnce(const domain::Date& date) {
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
    auto claim = claims_.Begin(0, "billing-run", date.ToString(), "scheduler", now_ms, 6 * 3600 * 1000LL);
    if (claim.outcome != storage::IdempotencyBegin::Outcome::kProceed) return false;
    batch::BatchOptions options;
    options.date = date;
    options.api_url = api_url_;
    options.internal_token = token_;
    auto result = batch::RunBilling(subscriptions_, options);
    if (result.completed) claims_.Complete(0, "billing-run", date.ToString(), 200, "completed");
    else claims_.Abandon(0, "billing-run", date.ToString());  // a later tick may finish it
    return true;
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      auto now = clock_.Now();
      domain::Date date = infra::BusinessDate(now);
      std::string time = infra::FormatIsoTime(now).substr(11, 5);  // HH:MM in the business zone
      if (time >= at_) {
        lock.unlock();
        try {
          RunOnce(date);
        } catch (const std::exception& e) {
          infra::LogError("scheduled billing run failed", {{"date", date.ToString()}, {"error", e.what()}});
        }
        lock.lock();
      }
      wake_.wait_for(lock, std::chrono::seconds(60), [this] { return stopping_; });
    }
  }

  storage::SubscriptionRepository& subscriptions_;
  storage::IdempotencyRepository& claims_;
  const infra::Clock& clock_;
  std::string at_;
  std::string api_url_, token_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pillivery::app
