#pragma once
// Cancels unpaid orders past their expiry and releases their stock, every
// interval, on its own thread. Safe with several server processes: each order
// is cancelled by a conditional update, so only one process releases its stock.
#include "infra/log.hpp"
#include "service/order_service.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace pillivery::app {

class OrderExpirySweeper {
 public:
  explicit OrderExpirySweeper(service::OrderService& orders, std::chrono::milliseconds interval = std::chrono::seconds(30))
      : orders_(orders), interval_(interval) {}
  ~OrderExpirySweeper() { Stop(); }

  void Start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { Loop(); });
  }
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        if (int expired = orders_.ExpireUnpaid(); expired > 0) infra::LogInfo("orders expired", {{"count", expired}});
      } catch (const std::exception& e) {
        infra::LogWarn("order expiry sweep failed", {{"error", e.what()}});
      }
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  }

  service::OrderService& orders_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pillivery::app
