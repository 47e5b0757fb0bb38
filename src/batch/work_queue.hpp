#pragma once
// A bounded FIFO between the batch's page reader (the one producer) and its
// workers. Push adds a batch of jobs (a page) and blocks until the whole batch
// fits, so at most `capacity` jobs wait in memory; Pop blocks while the queue is
// empty. WaitUntilDone ends a pass: it returns once every job pushed so far has
// been popped and marked done (the shape of Python's queue.join()).
#include <cassert>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace pillivery::batch {

template <typename Job>
class WorkQueue {
 public:
  explicit WorkQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // One producer only. A batch may hold at most `capacity` jobs.
  void Push(std::vector<Job> batch) {
    assert(batch.size() <= capacity_);
    std::unique_lock lock(mutex_);
    room_wanted_ = batch.size();
    not_full_.wait(lock, [&] { return HasRoomWanted(); });
    room_wanted_ = 0;
    for (auto& job : batch) jobs_.push_back(std::move(job));
    unfinished_ += batch.size();
    not_empty_.notify_all();
  }

  // The next job, or nullopt once the queue is closed and empty (the worker leaves).
  std::optional<Job> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !jobs_.empty() || closed_; });
    if (jobs_.empty()) return std::nullopt;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    // Wake the producer once its whole batch fits, not on every job it waits for.
    if (room_wanted_ > 0 && HasRoomWanted()) not_full_.notify_one();
    return job;
  }

  // Called by a worker once it has finished a popped job.
  void Done() {
    std::lock_guard lock(mutex_);
    if (--unfinished_ == 0) all_done_.notify_all();
  }

  void WaitUntilDone() {
    std::unique_lock lock(mutex_);
    all_done_.wait(lock, [&] { return unfinished_ == 0; });
  }

  // No more jobs: workers finish what is queued, then Pop returns nullopt.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  bool HasRoomWanted() const { return jobs_.size() + room_wanted_ <= capacity_; }

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_, all_done_;
  std::deque<Job> jobs_;
  std::size_t room_wanted_ = 0;  // the size of the batch Push waits to add
  std::size_t unfinished_ = 0;   // pushed and not yet Done
  bool closed_ = false;
};

}  // namespace pillivery::batch
