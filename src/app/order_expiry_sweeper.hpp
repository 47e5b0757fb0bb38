#pragma once
// Cancels unpaid orders past their expiry and releases their stock, every
// interval, on its own thread. Safe with several server processes: each order
// is cancelled by a conditional update, so only one process releases its stock.
#include "infra/log.hpp"
#include "infra/periodic_task.hpp"
#include "service/ordering/order_service.hpp"

#include <chrono>

namespace pillivery::app {

class OrderExpirySweeper {
 public:
  explicit OrderExpirySweeper(service::OrderService& orders,
                              std::chrono::milliseconds interval = std::chrono::seconds(30))
      : task_("order expiry sweep", interval, infra::PeriodicTask::FirstTick::kAtStart, [&orders] {
          if (int expired = orders.ExpireUnpaid(); expired > 0) infra::LogInfo("orders expired", {{"count", expired}});
        }) {}

  void Start() { task_.Start(); }
  void Stop() { task_.Stop(); }

 private:
  infra::PeriodicTask task_;
};

}  // namespace pillivery::app
