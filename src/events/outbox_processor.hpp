#pragma once
// Delivers outbox events to their handlers, at least once, with retries and a
// dead letter. Several processors (threads or processes) may share one database:
// a batch is claimed in a short transaction (FOR UPDATE SKIP LOCKED on MariaDB,
// BEGIN IMMEDIATE on SQLite) and marked PROCESSING with a lease, so no event is
// handled by two at once and a crashed processor's events come back after the lease.
//
// A claimed batch is handled in as few statements as its events allow:
// - events on their first delivery whose handlers are all external run first
//   (no transaction open) and skip the processed_events look-up: no marker can
//   exist yet. Their markers and DONE are written later for several events at
//   once, which widens the at-least-once window (README);
// - events on their first delivery whose handlers are all transactional run in
//   ONE transaction that first marks them — and the external successes — DONE
//   (fenced by this lease), then runs the handlers and records every (handler,
//   event) in processed_events with one insert. Any failure rolls it all back:
//   the external successes are then recorded on their own (markers, DONE) and the
//   transactional events take the per-event path below;
// - everything else (retries, mixed handler kinds, no handler) goes one event at
//   a time as before: a transaction per transactional handler, a marker look-up
//   before each external one, then DONE or a failure with backoff.
#include "events/backoff.hpp"
#include "events/event.hpp"
#include "events/outbox_store.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace prometheus {
class Registry;
}

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

  // Events not yet DONE or DEAD; also refreshes the pending gauge. The loop calls
  // it at most once a second (a GROUP BY over the outbox is not free).
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
  enum class HandlerKinds { kNone, kTransactional, kExternal, kMixed };

  std::vector<ClaimedEvent> ClaimBatch(int max);
  HandlerKinds KindsOf(const std::string& event_type) const;
  void ProcessOne(const Event& event, bool first_delivery);
  // External successes not yet recorded (their DONE and markers).
  struct ExternalDone {
    std::vector<const Event*> events;
    std::vector<Marker> markers;
  };
  // The first-delivery transactional events in one transaction, which also
  // records `external` (then emptied); how many transactional events were
  // handled (the rest were given back), or nullopt when it rolled back.
  std::optional<std::size_t> RunTransactionalBatch(const std::vector<const Event*>& events, ExternalDone& external,
                                                   const std::function<bool()>& may_start);
  // The first-delivery external events' handlers; successes go to `done`
  // (recorded at least once a second); returns the events it did not start.
  std::vector<const Event*> RunExternalHandlers(const std::vector<const Event*>& events,
                                                const std::function<bool()>& may_start, ExternalDone& done);
  // Markers, then DONE (fenced per event), for the external successes in `done`.
  void RecordExternalDone(ExternalDone& done);
  bool RunHandler(const Registration& registration, const Event& event, bool first_delivery);
  void MarkDone(const Event& event);
  void MarkFailed(const Event& event, const std::string& error);
  void Release(const Event& event);
  void Loop();
  double NextUnitRandom();

  storage::Database& db_;
  const infra::Clock& clock_;
  ProcessorOptions options_;
  OutboxStore store_;  // the SQL; fenced by options_.instance_id
  std::map<std::string, std::vector<Registration>> handlers_;
  std::unique_ptr<Metrics> metrics_;

  std::mutex random_mutex_;
  std::mt19937_64 random_;

  std::mutex loop_mutex_;
  std::condition_variable wake_;
  bool notified_ = false;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};                // a batch in progress gives back what it has not started
  std::atomic<long long> last_expired_check_ms_{0};  // by clock_
  std::thread thread_;
};

}  // namespace pillivery::events
