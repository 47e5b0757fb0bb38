#include "infra/periodic_task.hpp"

#include "infra/log.hpp"

namespace pillivery::infra {

PeriodicTask::PeriodicTask(std::string name, std::chrono::milliseconds interval, FirstTick first,
                           std::function<void()> tick)
    : name_(std::move(name)), interval_(interval), first_(first), tick_(std::move(tick)) {}

void PeriodicTask::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

bool PeriodicTask::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return false;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.get_id() == std::this_thread::get_id()) return false;  // called from a tick: cannot join itself
  thread_.join();
  return true;
}

bool PeriodicTask::Running() {
  std::lock_guard lock(mutex_);
  return thread_.joinable();
}

void PeriodicTask::Loop() {
  std::unique_lock lock(mutex_);
  if (first_ == FirstTick::kAfterInterval && wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  while (!stopping_) {
    lock.unlock();
    try {
      tick_();
    } catch (const std::exception& e) {
      LogWarn(name_ + " failed", {{"error", e.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace pillivery::infra
