#pragma once
// Runs the requests of concurrent callers in groups, so that one database
// round trip or one transaction serves many of them (group commit).
//
// Run() blocks its caller until the group holding its request has been
// executed, and returns that request's result (or throws its error). One group
// runs at a time: a caller that finds none running becomes the leader and runs
// the group itself; requests that arrive meanwhile queue, and when the group is
// done the oldest queued caller becomes the next leader and takes everything
// queued (at most max_group). So the groups grow with the load on their own:
// one request alone runs at once, a hundred arriving together run as a few
// groups. Blocking: for worker threads, never for an I/O thread.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

namespace pillivery::infra {

template <class Request, class Result>
class GroupExecutor {
 public:
  // One request of a group: the executor's function fills `result` or `error`
  // for each; a request left with neither gets a std::logic_error.
  struct Job {
    Request request;
    std::optional<Result> result;
    std::exception_ptr error;
  };
  // Executes one group. An exception thrown out of it becomes every job's error.
  using GroupFunction = std::function<void(std::span<Job*> group)>;

  GroupExecutor(GroupFunction run_group, std::size_t max_group)
      : run_group_(std::move(run_group)), max_group_(max_group == 0 ? 1 : max_group) {}
  GroupExecutor(const GroupExecutor&) = delete;
  GroupExecutor& operator=(const GroupExecutor&) = delete;

  Result Run(Request request) {
    // Shared with the leader that runs it, which may still be waking this
    // caller after the caller has seen its result and returned.
    auto me = std::make_shared<Waiter>(std::move(request));
    std::unique_lock lock(mutex_);
    queue_.push_back(me);
    if (!running_) {
      running_ = true;
      me->leads = true;
    }
    me->wake.wait(lock, [&] { return me->done || me->leads; });
    if (!me->done) Lead(lock);  // the oldest queued job is this one, so it runs in this group
    lock.unlock();
    if (me->job.error) std::rethrow_exception(me->job.error);
    if (!me->job.result) throw std::logic_error("a grouped request was left without a result");
    return std::move(*me->job.result);
  }

  // Groups run so far, and the requests they held (for metrics and tests).
  std::size_t Groups() const {
    std::lock_guard lock(mutex_);
    return groups_;
  }
  std::size_t Requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Requests waiting for a group (tests wait on it instead of sleeping).
  std::size_t Queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  struct Waiter {
    explicit Waiter(Request request) : job{std::move(request), std::nullopt, nullptr} {}
    Job job;
    bool done = false;   // guarded by mutex_
    bool leads = false;  // guarded by mutex_
    std::condition_variable wake;
  };

  // Called with the lock held by the leader; returns with it held, its own job done.
  void Lead(std::unique_lock<std::mutex>& lock) {
    std::vector<std::shared_ptr<Waiter>> waiters;
    while (!queue_.empty() && waiters.size() < max_group_) {
      waiters.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    ++groups_;
    requests_ += waiters.size();
    lock.unlock();
    std::vector<Job*> jobs;
    jobs.reserve(waiters.size());
    for (auto& w : waiters) jobs.push_back(&w->job);
    try {
      run_group_(std::span<Job*>(jobs));
    } catch (...) {
      auto error = std::current_exception();
      for (auto* job : jobs)
        if (!job->result && !job->error) job->error = error;
    }
    lock.lock();
    for (auto& w : waiters) w->done = true;
    std::shared_ptr<Waiter> next;
    if (queue_.empty()) {
      running_ = false;
    } else {
      next = queue_.front();
      next->leads = true;
    }
    // Woken after the lock is let go, so that they do not wake only to wait for it.
    lock.unlock();
    for (auto& w : waiters) w->wake.notify_one();
    if (next) next->wake.notify_one();
    lock.lock();
  }

  GroupFunction run_group_;
  const std::size_t max_group_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> queue_;
  bool running_ = false;
  std::size_t groups_ = 0, requests_ = 0;
};

}  // namespace pillivery::infra
