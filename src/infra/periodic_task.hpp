#pragma once
// A task run on its own thread every interval until Stop(): the order expiry
// sweeper, the billing scheduler's clock check and the views flusher. A tick
// that throws is logged ("<name> failed") and the next one runs as usual.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace pillivery::infra {

class PeriodicTask {
 public:
  enum class FirstTick { kAtStart, kAfterInterval };

  PeriodicTask(std::string name, std::chrono::milliseconds interval, FirstTick first, std::function<void()> tick);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Does nothing while already running.
  void Start();
  // Wakes the thread and joins it (a tick in progress finishes first); true
  // when it stopped a running thread.
  bool Stop();
  bool Running();

 private:
  void Loop();

  std::string name_;
  std::chrono::milliseconds interval_;
  FirstTick first_;
  std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pillivery::infra
