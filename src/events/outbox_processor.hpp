#pragma once
// Delivers outbox events to their handlers, at least once, with retries and a
// dead letter. Several processors (threads or processes) may share one database:
// a batch is claimed in a short transaction (FOR UPDATE SKIP LOCKED on MariaDB,
// BEGIN IMMEDIATE on SQLite) and marked PROCESSING with a lease, so no event is
// handled by two at once and a crashed processor's events come back after the lease.
#include "events/backoff.hpp"
#include "events/event.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace prometheus { class Registry; }

namespace pillivery::events {

struct ProcessorOptions {
  // Who holds a lease (locked_by); empty → "<host>:<pid>:<n>", unique per instance.
  std::string instance_id;
  int max_attempts = 8;
  BackoffPolicy backoff;
  // Longer than any handler should take: past it, another processor may take the event.
  std::chrono::milliseconds lease{std::chrono::seconds(60)};
  std::chrono::milliseconds poll_interval{200};
  int batch_size = 32;
};

class OutboxProcessor {
 public:
  OutboxProcessor(storage::Database& db, const infra::Clock& clock, ProcessorOptions options = {},
                  prometheus::Registry* registry = nullptr);
  ~OutboxProcessor();  // stops the loop
  OutboxProcessor(const OutboxProcessor&) = delete;
  OutboxProcessor& operator=(const OutboxProcessor&) = delete;

  // Register before Start(). Several handlers may share an event type; they run in
  // registration order and the event is DONE when all have succeeded. The handler
  // name keys processed_events, so keep it stable across releases.
  void Handle(const std::string& event_type, const std::string& handler_name, TransactionalHandler handler);
  void HandleExternal(const std::string& event_type, const std::string& handler_name, ExternalHandler handler);

  // Claims up to `max` due events and handles them; returns how many it claimed.
  int RunOnce(int max);
  int RunOnce() { return RunOnce(options_.batch_size); }

  // The two halves of RunOnce, public so a test can claim and then "crash".
  std::vector<Event> Claim(int max);
  void Process(const Event& event);

  // Events not yet DONE or DEAD; also refreshes the pending gauge.
  std::int64_t CountPending();

  // A background loop on its own thread: runs batches while there is work, else
  // waits for poll_interval or Notify() (e.g. after a commit that appended events).
  void Start();
  void Stop();
  void Notify();

  const std::string& InstanceId() const { return options_.instance_id; }

 private:
  struct Registration {
    std::string name;
    TransactionalHandler transactional;  // exactly one of the two is set
    ExternalHandler external;
  };
  struct Metrics;

  bool RunHandler(const Registration& registration, const Event& event);
  bool AlreadyProcessed(const std::string& handler_name, std::int64_t event_id);
  void MarkDone(const Event& event);
  void MarkFailed(const Event& event, const std::string& error);
  void Release(const Event& event);
  void Loop();
  double NextUnitRandom();

  storage::Database& db_;
  const infra::Clock& clock_;
  ProcessorOptions options_;
  std::map<std::string, std::vector<Registration>> handlers_;
  std::unique_ptr<Metrics> metrics_;

  std::mutex random_mutex_;
  std::mt19937_64 random_;

  std::mutex loop_mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};  // a batch in progress gives back what it has not started
  std::thread thread_;
};

}  // namespace pillivery::events
