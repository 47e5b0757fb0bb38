#include "payment/bulkhead.hpp"

namespace pillivery::payment {

Bulkhead::Bulkhead(int max_concurrent, std::chrono::milliseconds max_wait, std::function<void(int)> on_change)
    : max_concurrent_(max_concurrent), max_wait_(max_wait), on_change_(std::move(on_change)) {}

bool Bulkhead::TryEnter() {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, max_wait_, [&] { return in_use_ < max_concurrent_; })) return false;
  ++in_use_;
  if (on_change_) on_change_(in_use_);
  return true;
}

void Bulkhead::Leave() {
  {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (on_change_) on_change_(in_use_);
  }
  freed_.notify_one();
}

int Bulkhead::InUse() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

}  // namespace pillivery::payment
