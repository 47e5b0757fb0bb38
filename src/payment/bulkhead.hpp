#pragma once
// A bulkhead: at most N concurrent gateway calls; a caller waits a bounded
// time for a slot and then gives up, so a slow gateway cannot take every
// worker thread of the server with it.
//
// The wait is real time (a condition variable), not the injected clock: it is
// a blocking wait, and tests keep it short instead of faking it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace pillivery::payment {

class Bulkhead {
 public:
  // on_change sees the slots in use after every enter/leave (for a gauge).
  Bulkhead(int max_concurrent, std::chrono::milliseconds max_wait, std::function<void(int)> on_change = {});

  // True with a slot taken; false when none freed up within max_wait.
  bool TryEnter();
  void Leave();
  int InUse() const;
  int Capacity() const { return max_concurrent_; }

 private:
  const int max_concurrent_;
  const std::chrono::milliseconds max_wait_;
  std::function<void(int)> on_change_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int in_use_ = 0;
};

}  // namespace pillivery::payment
