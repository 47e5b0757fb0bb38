#include "batch/batch_runner.hpp"

#include "batch/work_queue.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace pillivery::batch {

namespace {

struct Job {
  Cycle cycle;
  bool last_pass = false;  // an unresolved answer counts as unknown instead of being re-tried
};

// Counts per answer, and the cycles to try again in the next pass; shared by the workers.
class Outcomes {
 public:
  void Record(const Job& job, Answer answer) {
    std::lock_guard lock(mutex_);
    switch (answer) {
      case Answer::kPaid:
        ++counts_.paid;
        break;
      case Answer::kSoftDeclined:
        ++counts_.soft_declined;
        break;
      case Answer::kHardDeclined:
        ++counts_.hard_declined;
        break;
      case Answer::kSkipped:
        ++counts_.skipped;
        break;
      case Answer::kError:
        ++counts_.errors;
        break;
      case Answer::kUnknown:
      case Answer::kRetryLater:
        if (job.last_pass) {
          ++counts_.unknown;
        } else {
          retry_.push_back(job.cycle);
        }
        break;
    }
  }

  // The run stops early: what waited for another pass stays unresolved.
  void AbandonRetries() {
    std::lock_guard lock(mutex_);
    counts_.unknown += static_cast<int>(retry_.size());
    retry_.clear();
  }

  std::vector<Cycle> TakeRetries() {
    std::lock_guard lock(mutex_);
    return std::exchange(retry_, {});
  }

  void CopyCountsTo(storage::BatchRun& run) {
    std::lock_guard lock(mutex_);
    run.paid = counts_.paid;
    run.soft_declined = counts_.soft_declined;
    run.hard_declined = counts_.hard_declined;
    run.unknown = counts_.unknown;
    run.skipped = counts_.skipped;
    run.errors = counts_.errors;
  }

 private:
  std::mutex mutex_;
  storage::BatchRun counts_;
  std::vector<Cycle> retry_;
};

// One worker: charges jobs from the queue until it is closed and empty.
bool Stopped(const BatchOptions& options) { return options.stop != nullptr && options.stop->load(); }

void WorkerLoop(ChargeCycles& charges, WorkQueue<Job>& queue, Outcomes& outcomes, const BatchOptions& options) {
  while (auto job = queue.Pop()) {
    if (Stopped(options)) {  // not sent: the cycle stays due, the run incomplete
      outcomes.Record({job->cycle, /*last_pass=*/true}, Answer::kUnknown);
      queue.Done();
      continue;
    }
    Answer answer = Answer::kError;
    try {
      answer = charges.Charge(job->cycle, options.stop);
    } catch (const std::exception& e) {  // must not end the process with the other workers' charges in flight
      infra::LogError("charge request failed", {{"subscriptionId", job->cycle.id}, {"error", e.what()}});
    }
    outcomes.Record(*job, answer);
    queue.Done();
  }
}

// `concurrency` workers for the whole run, so at most that many charges are
// in flight (the HTTP adapter keeps that many connections open for the run).
// Leaving scope closes the queue and waits for them.
class WorkerPool {
 public:
  WorkerPool(const BatchOptions& options, ChargeCycles& charges, WorkQueue<Job>& queue, Outcomes& outcomes)
      : queue_(queue) {
    try {
      for (int w = 0; w < std::max(1, options.concurrency); ++w) {
        threads_.emplace_back(
            [&options, &charges, &queue, &outcomes] { WorkerLoop(charges, queue, outcomes, options); });
      }
    } catch (...) {  // no thread may be left joinable
      CloseAndJoin();
      throw;
    }
  }
  ~WorkerPool() { CloseAndJoin(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

 private:
  void CloseAndJoin() {
    queue_.Close();
    for (auto& thread : threads_) thread.join();
  }

  WorkQueue<Job>& queue_;
  std::vector<std::thread> threads_;
};

// Queues `cycles` a page at a time (the queue takes at most a page per Push).
void QueueCycles(const std::vector<Cycle>& cycles, bool last_pass, std::size_t page_size, WorkQueue<Job>& queue) {
  for (std::size_t start = 0; start < cycles.size(); start += page_size) {
    std::vector<Job> batch;
    const std::size_t end = std::min(cycles.size(), start + page_size);
    batch.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) batch.push_back({cycles[i], last_pass});
    queue.Push(std::move(batch));
  }
}

// The first pass: every due cycle, read a page at a time by id. The queue holds
// two pages, so the next page is read while the workers still charge the last
// one. Returns how many cycles were due.
int QueueDueCycles(storage::SubscriptionRepository& subscriptions, const BatchOptions& options, std::size_t page_size,
                   WorkQueue<Job>& queue) {
  int due = 0;
  // Pages by id: a charged cycle moves its subscription's next attempt into the
  // future, so paging by offset would skip rows; by id it cannot.
  std::int64_t after = 0;
  while (!Stopped(options)) {
    // One query per page: the cycle of each subscription comes with its id.
    auto page = subscriptions.DueCycles(options.date, after, static_cast<int>(page_size));
    if (page.empty()) break;
    due += static_cast<int>(page.size());
    after = page.back().subscription_id;
    std::vector<Cycle> cycles;
    cycles.reserve(page.size());
    for (const auto& due_cycle : page) {
      cycles.push_back({due_cycle.subscription_id, due_cycle.next_payment_date, due_cycle.cycle_attempts + 1});
    }
    QueueCycles(cycles, options.passes <= 1, page_size, queue);
  }
  return due;
}

// Attempts left open on a subscription that has since ended, paused or moved to
// another cycle (a lost answer, then the customer cancelled): the due list does
// not reach them, and only the gateway's answer to the same partner_order_id
// says whether the money was taken. Returns how many were queued.
int QueueStrandedAttempts(storage::SubscriptionRepository& subscriptions, const BatchOptions& options,
                          std::size_t page_size, WorkQueue<Job>& queue) {
  if (Stopped(options)) return 0;
  std::vector<Cycle> cycles;
  for (const auto& open : subscriptions.StrandedAttempts())
    cycles.push_back({open.subscription_id, open.due_date, open.attempt});
  if (!cycles.empty()) QueueCycles(cycles, options.passes <= 1, page_size, queue);
  return static_cast<int>(cycles.size());
}

}  // namespace

BatchResult RunBilling(storage::SubscriptionRepository& subscriptions, ChargeCycles& charges, const infra::Clock& clock,
                       const BatchOptions& options) {
  auto now = [&clock] { return infra::FormatIsoTime(clock.Now()); };
  BatchResult result;
  result.run.run_date = options.date.ToString();
  result.run.started_at = now();
  result.run.status = domain::BillingRunStatus::kRunning;
  result.run.id = subscriptions.StartRun(result.run.run_date, result.run.started_at);
  infra::LogInfo("billing run started", {{"runId", result.run.id}, {"date", result.run.run_date}});

  Outcomes outcomes;
  {
    const auto page_size = static_cast<std::size_t>(std::max(1, options.page_size));
    WorkQueue<Job> queue(2 * page_size);
    WorkerPool workers(options, charges, queue, outcomes);
    result.run.due = QueueDueCycles(subscriptions, options, page_size, queue);
    result.run.due += QueueStrandedAttempts(subscriptions, options, page_size, queue);
    queue.WaitUntilDone();
    // Later passes: what came back unresolved, after a pause, with the same workers.
    for (int pass = 2; pass <= options.passes && !Stopped(options); ++pass) {
      auto again = outcomes.TakeRetries();
      if (again.empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500 * (pass - 1)));
      QueueCycles(again, pass == options.passes, page_size, queue);
      queue.WaitUntilDone();
    }
  }
  const bool stopped = Stopped(options);
  if (stopped) {
    outcomes.AbandonRetries();
    infra::LogWarn("billing run stopped early; the cycles it did not charge stay due",
                   {{"runId", result.run.id}, {"date", result.run.run_date}});
  }
  outcomes.CopyCountsTo(result.run);

  // Stopped before every due page was read: not complete even if all it sent were answered.
  result.completed = !stopped && result.run.unknown == 0 && result.run.errors == 0;
  result.run.status = result.completed ? domain::BillingRunStatus::kCompleted : domain::BillingRunStatus::kIncomplete;
  result.run.finished_at = now();
  subscriptions.FinishRun(result.run);
  infra::LogInfo("billing run finished", {{"runId", result.run.id},
                                          {"date", result.run.run_date},
                                          {"status", domain::CodeOf(result.run.status)},
                                          {"due", result.run.due},
                                          {"paid", result.run.paid},
                                          {"softDeclined", result.run.soft_declined},
                                          {"hardDeclined", result.run.hard_declined},
                                          {"unknown", result.run.unknown},
                                          {"skipped", result.run.skipped},
                                          {"errors", result.run.errors}});
  return result;
}

}  // namespace pillivery::batch
