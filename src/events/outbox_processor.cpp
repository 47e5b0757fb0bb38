#include "events/outbox_processor.hpp"

#include "infra/log.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <unistd.h>

namespace pillivery::events {

namespace {

constexpr std::size_t kMaxErrorLength = 2000;

std::string DefaultInstanceId() {
  static std::atomic<int> counter{0};
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(counter++);
}

ProcessorOptions WithDefaults(ProcessorOptions options) {
  if (options.instance_id.empty()) options.instance_id = DefaultInstanceId();
  if (options.max_attempts < 1) options.max_attempts = 1;
  if (options.batch_size < 1) options.batch_size = 1;
  return options;
}

std::string Truncate(std::string text) {
  if (text.size() > kMaxErrorLength) text.resize(kMaxErrorLength);
  return text;
}

}  // namespace

struct OutboxProcessor::Metrics {
  prometheus::Family<prometheus::Counter>& processed;
  prometheus::Family<prometheus::Counter>& failed;
  prometheus::Family<prometheus::Counter>& dead;
  prometheus::Gauge& pending;
  prometheus::Gauge& dead_now;
};

OutboxProcessor::OutboxProcessor(storage::Database& db, const infra::Clock& clock, ProcessorOptions options,
                                 prometheus::Registry* registry)
    : db_(db),
      clock_(clock),
      options_(WithDefaults(std::move(options))),
      store_(db, options_.instance_id),
      random_(std::random_device{}()) {
  if (registry) {
    auto& processed = prometheus::BuildCounter()
                          .Name("pillivery_outbox_events_processed_total")
                          .Help("Outbox events handled successfully, by type")
                          .Register(*registry);
    auto& failed = prometheus::BuildCounter()
                       .Name("pillivery_outbox_events_failed_total")
                       .Help("Failed outbox event attempts, by type")
                       .Register(*registry);
    auto& dead = prometheus::BuildCounter()
                     .Name("pillivery_outbox_events_dead_total")
                     .Help("Outbox events moved to the dead letters, by type")
                     .Register(*registry);
    auto& gauges = prometheus::BuildGauge()
                       .Name("pillivery_outbox_events")
                       .Help("Outbox events waiting (PENDING or PROCESSING) and dead, by state")
                       .Register(*registry);
    metrics_ = std::make_unique<Metrics>(
        Metrics{processed, failed, dead, gauges.Add({{"state", "pending"}}), gauges.Add({{"state", "dead"}})});
  }
}

OutboxProcessor::~OutboxProcessor() { Stop(); }

void OutboxProcessor::Handle(const std::string& event_type, const std::string& handler_name,
                             TransactionalHandler handler) {
  handlers_[event_type].push_back({handler_name, std::move(handler), nullptr});
}

void OutboxProcessor::HandleExternal(const std::string& event_type, const std::string& handler_name,
                                     ExternalHandler handler) {
  handlers_[event_type].push_back({handler_name, nullptr, std::move(handler)});
}

std::vector<Event> OutboxProcessor::Claim(int max) {
  std::vector<Event> events;
  for (auto& claimed : ClaimBatch(max)) events.push_back(std::move(claimed.event));
  return events;
}

std::vector<ClaimedEvent> OutboxProcessor::ClaimBatch(int max) {
  long long now = ToEpochMillis(clock_.Now());
  // Expired leases go first (they have waited longest) once a second; they are
  // rare (a processor died or stalled), so in between they are only looked for
  // when due events leave the batch room.
  const bool expired_first = now - last_expired_check_ms_.load() >= 1000;
  if (expired_first && max > 0) last_expired_check_ms_ = now;
  return store_.Claim(max, now, now + options_.lease.count(), expired_first);
}

OutboxProcessor::HandlerKinds OutboxProcessor::KindsOf(const std::string& event_type) const {
  auto found = handlers_.find(event_type);
  if (found == handlers_.end() || found->second.empty()) return HandlerKinds::kNone;
  bool transactional = false, external = false;
  for (const auto& registration : found->second) (registration.transactional ? transactional : external) = true;
  if (transactional && external) return HandlerKinds::kMixed;
  return transactional ? HandlerKinds::kTransactional : HandlerKinds::kExternal;
}

std::optional<std::size_t> OutboxProcessor::RunTransactionalBatch(const std::vector<const Event*>& events,
                                                                  ExternalDone& external,
                                                                  const std::function<bool()>& may_start) {
  std::vector<const Event*> fenced = events;
  fenced.insert(fenced.end(), external.events.begin(), external.events.end());
  std::size_t handled = 0;
  // A database error (on MariaDB mostly a deadlock with another processor's
  // batch, whose handlers touch the same rows in another order) gets one more try.
  for (int round = 1;; ++round) {
    long long now = ToEpochMillis(clock_.Now());
    handled = 0;
    try {
      storage::UnitOfWork work(db_);
      // DONE first, fenced by this lease: while this transaction is open the rows
      // are locked (MariaDB) or the database is (SQLite), so no other processor can
      // reclaim them, and they are DONE exactly when the handlers' effects commit.
      // The external events already handled are marked in the same statement.
      if (store_.MarkFirstDeliveriesDone(work, fenced, now) != fenced.size()) return std::nullopt;  // a lease lost
      std::vector<Marker> markers = external.markers;
      for (const auto* event : events) {
        if (handled > 0 && !may_start()) break;
        for (const auto& registration : handlers_.at(event->type)) {
          registration.transactional(*event, work);
          markers.emplace_back(registration.name, event->id);
        }
        ++handled;
      }
      // Fewer: an earlier delivery applied one of them; the per-event path skips
      // exactly what was applied.
      if (store_.InsertMarkers(work, markers, now) != markers.size()) return std::nullopt;
      if (handled < events.size()) {
        // Not started: given back as Release does, in the same transaction.
        store_.GiveBack(work, {events.begin() + static_cast<std::ptrdiff_t>(handled), events.end()});
      }
      work.Commit();
      break;
    } catch (const soci::soci_error& e) {
      if (round < 2 && may_start()) continue;
      infra::LogWarn("outbox batch rolled back; its events are handled one at a time",
                     {{"instance", options_.instance_id}, {"events", events.size()}, {"error", e.what()}});
      return std::nullopt;
    } catch (const std::exception& e) {
      infra::LogWarn("outbox batch rolled back; its events are handled one at a time",
                     {{"instance", options_.instance_id}, {"events", events.size()}, {"error", e.what()}});
      return std::nullopt;
    } catch (...) {
      infra::LogWarn("outbox batch rolled back; its events are handled one at a time",
                     {{"instance", options_.instance_id}, {"events", events.size()}, {"error", "unknown exception"}});
      return std::nullopt;
    }
  }
  if (metrics_) {
    for (std::size_t i = 0; i < handled; ++i) metrics_->processed.Add({{"type", events[i]->type}}).Increment();
    for (const auto* event : external.events) metrics_->processed.Add({{"type", event->type}}).Increment();
  }
  external.events.clear();
  external.markers.clear();
  return handled;
}

void OutboxProcessor::RecordExternalDone(ExternalDone& done) {
  if (done.events.empty()) return;
  try {
    auto ours = store_.RecordFirstDeliveriesDone(done.events, done.markers, ToEpochMillis(clock_.Now()));
    for (const auto* event : done.events) {
      if (!ours.count(event->id))
        infra::LogWarn("outbox lease lost before the event was marked done", {{"eventId", event->id}});
      else if (metrics_)
        metrics_->processed.Add({{"type", event->type}}).Increment();
    }
  } catch (const std::exception& e) {
    // They stay PROCESSING and come back after the lease; the markers written say what not to repeat.
    infra::LogError("outbox could not record handled events", {{"events", done.events.size()}, {"error", e.what()}});
  }
  done.events.clear();
  done.markers.clear();
}

std::vector<const Event*> OutboxProcessor::RunExternalHandlers(const std::vector<const Event*>& events,
                                                               const std::function<bool()>& may_start,
                                                               ExternalDone& done) {
  auto last_record = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& event = *events[i];
    if (!may_start()) return {events.begin() + static_cast<std::ptrdiff_t>(i), events.end()};
    std::string error;
    std::vector<Marker> succeeded;
    // No transaction and no pooled connection are held while an external call runs.
    for (const auto& registration : handlers_.at(event.type)) {
      try {
        registration.external(event);
        succeeded.emplace_back(registration.name, event.id);
      } catch (const std::exception& e) {
        error = registration.name + ": " + e.what();
        break;
      } catch (...) {
        error = registration.name + ": unknown exception";
        break;
      }
    }
    if (error.empty()) {
      done.events.push_back(&event);
      done.markers.insert(done.markers.end(), succeeded.begin(), succeeded.end());
    } else {
      try {
        // The handlers before the failing one succeeded: the retry must skip them.
        store_.InsertMarkers(succeeded, ToEpochMillis(clock_.Now()));
        MarkFailed(event, error);
      } catch (const std::exception& e) {
        infra::LogError("outbox could not record an event's outcome", {{"eventId", event.id}, {"error", e.what()}});
      }
    }
    // Successes are recorded together, but not held for long: at least once a second.
    if (std::chrono::steady_clock::now() - last_record >= std::chrono::seconds(1)) {
      RecordExternalDone(done);
      last_record = std::chrono::steady_clock::now();
    }
  }
  return {};
}

bool OutboxProcessor::RunHandler(const Registration& registration, const Event& event, bool first_delivery) {
  const Marker marker{registration.name, event.id};
  long long now = ToEpochMillis(clock_.Now());
  if (registration.transactional) {
    storage::UnitOfWork work(db_);
    // The marker goes first: on MariaDB a second delivery running at the same time
    // waits on this key and then finds it taken, instead of applying the effect twice.
    if (!store_.InsertMarker(work, marker, now)) return false;  // applied by an earlier delivery
    registration.transactional(event, work);
    work.Commit();
    return true;
  }
  // No transaction and no pooled connection are held while an external call runs.
  // On a first delivery no marker can exist yet: nothing to look up.
  if (!first_delivery && store_.AlreadyProcessed(registration.name, event.id)) return false;
  registration.external(event);
  store_.InsertMarkers({marker}, now);
  return true;
}

void OutboxProcessor::Process(const Event& event) { ProcessOne(event, false); }

void OutboxProcessor::ProcessOne(const Event& event, bool first_delivery) {
  std::string error;
  auto found = handlers_.find(event.type);
  if (found == handlers_.end() || found->second.empty()) {
    error = "no handler for event type '" + event.type + "'";
    infra::LogWarn("outbox event has no handler", {{"eventId", event.id}, {"type", event.type}});
  } else {
    for (const auto& registration : found->second) {
      try {
        RunHandler(registration, event, first_delivery);
      } catch (const std::exception& e) {
        error = registration.name + ": " + e.what();
        break;  // later handlers wait for the retry, keeping registration order meaningful
      } catch (...) {
        error = registration.name + ": unknown exception";
        break;
      }
    }
  }
  try {
    if (error.empty())
      MarkDone(event);
    else
      MarkFailed(event, error);
  } catch (const std::exception& e) {
    // The event stays PROCESSING and is retried when its lease runs out.
    infra::LogError("outbox could not record an event's outcome", {{"eventId", event.id}, {"error", e.what()}});
  }
}

void OutboxProcessor::MarkDone(const Event& event) {
  if (!store_.MarkDone(event, ToEpochMillis(clock_.Now()))) {
    infra::LogWarn("outbox lease lost before the event was marked done", {{"eventId", event.id}});
    return;
  }
  if (metrics_) metrics_->processed.Add({{"type", event.type}}).Increment();
}

void OutboxProcessor::MarkFailed(const Event& event, const std::string& error) {
  bool dead = event.attempts >= options_.max_attempts;
  long long now = ToEpochMillis(clock_.Now());
  long long next = dead ? now : now + BackoffDelay(options_.backoff, event.attempts, NextUnitRandom()).count();
  std::string message = Truncate(error);
  bool recorded = store_.MarkFailed(event, dead ? EventStatus::kDead : EventStatus::kPending, next, message);
  boost::json::object fields{
      {"eventId", event.id}, {"type", event.type}, {"attempts", event.attempts}, {"error", message}};
  if (metrics_) metrics_->failed.Add({{"type", event.type}}).Increment();
  if (!recorded) {
    infra::LogWarn("outbox lease lost before a failure was recorded", std::move(fields));
  } else if (dead) {
    if (metrics_) metrics_->dead.Add({{"type", event.type}}).Increment();
    infra::LogError("outbox event moved to the dead letters", std::move(fields));
  } else {
    fields["retryInMs"] = next - now;
    infra::LogWarn("outbox event failed; will retry", std::move(fields));
  }
}

void OutboxProcessor::Release(const Event& event) { store_.Release(event); }

int OutboxProcessor::RunOnce(int max) {
  auto claimed_at = clock_.Now();
  std::vector<ClaimedEvent> batch = ClaimBatch(max);
  // An event started late in its lease could still be running when another
  // processor reclaims it: start one only in the first half of the lease.
  auto start_deadline = claimed_at + options_.lease / 2;
  std::function<bool()> may_start = [&] { return !stopping_ && clock_.Now() < start_deadline; };

  std::vector<const Event*> transactional, external;
  std::vector<const ClaimedEvent*> one_by_one;
  for (const auto& claimed : batch) {
    auto kinds = KindsOf(claimed.event.type);
    if (claimed.first_delivery && kinds == HandlerKinds::kTransactional)
      transactional.push_back(&claimed.event);
    else if (claimed.first_delivery && kinds == HandlerKinds::kExternal)
      external.push_back(&claimed.event);
    else
      one_by_one.push_back(&claimed);
  }
  std::vector<const Event*> not_started;
  auto give_back = [&](const std::vector<const Event*>& events) {
    not_started.insert(not_started.end(), events.begin(), events.end());
  };

  // External handlers first: no transaction may be open while they run. Their
  // successes are then recorded in the transactional batch's transaction.
  ExternalDone external_done;
  if (!external.empty()) give_back(RunExternalHandlers(external, may_start, external_done));
  if (!transactional.empty()) {
    if (!may_start()) {
      give_back(transactional);
    } else if (RunTransactionalBatch(transactional, external_done, may_start)) {
      // Those past the handled ones were given back inside the batch's transaction.
    } else {
      // Rolled back (a handler threw, a deadlock, a lost lease): the external
      // successes are recorded on their own, and each transactional event goes
      // alone, which records failures and backoff exactly as a single event would.
      RecordExternalDone(external_done);
      for (std::size_t i = 0; i < transactional.size(); ++i) {
        if (!may_start()) {
          give_back({transactional.begin() + static_cast<std::ptrdiff_t>(i), transactional.end()});
          break;
        }
        ProcessOne(*transactional[i], true);
      }
    }
  }
  RecordExternalDone(external_done);
  for (std::size_t i = 0; i < one_by_one.size(); ++i) {
    if (!may_start()) {
      for (std::size_t j = i; j < one_by_one.size(); ++j) not_started.push_back(&one_by_one[j]->event);
      break;
    }
    ProcessOne(one_by_one[i]->event, one_by_one[i]->first_delivery);
  }
  for (const auto* event : not_started) {
    try {
      Release(*event);
    } catch (const std::exception& e) {
      infra::LogWarn("outbox could not release an event", {{"eventId", event->id}, {"error", e.what()}});
    }
  }
  return static_cast<int>(batch.size());
}

std::int64_t OutboxProcessor::CountPending() {
  auto counts = store_.CountByState();
  if (metrics_) {
    metrics_->pending.Set(static_cast<double>(counts.waiting));
    metrics_->dead_now.Set(static_cast<double>(counts.dead));
  }
  return counts.waiting;
}

double OutboxProcessor::NextUnitRandom() {
  std::lock_guard lock(random_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

void OutboxProcessor::Start() {
  if (running_.exchange(true)) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxProcessor::Stop() {
  stopping_ = true;
  if (!running_.exchange(false)) return;
  Notify();
  if (thread_.joinable()) thread_.join();
}

void OutboxProcessor::Notify() {
  {
    std::lock_guard lock(loop_mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

void OutboxProcessor::Loop() {
  infra::LogInfo("outbox processor started", {{"instance", options_.instance_id}});
  auto counted_at = std::chrono::steady_clock::time_point{};
  while (running_) {
    int claimed = 0;
    try {
      // The pending gauge: at most once a second, not once per batch.
      if (std::chrono::steady_clock::now() - counted_at >= std::chrono::seconds(1)) {
        counted_at = std::chrono::steady_clock::now();
        CountPending();
      }
      claimed = RunOnce(options_.batch_size);
    } catch (const std::exception& e) {
      // The database may be down or busy: keep polling, the events are safe in it.
      infra::LogError("outbox batch failed", {{"instance", options_.instance_id}, {"error", e.what()}});
    }
    if (claimed >= options_.batch_size) continue;  // a full batch: more is probably due
    std::unique_lock lock(loop_mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return notified_ || !running_; });
    notified_ = false;
  }
  infra::LogInfo("outbox processor stopped", {{"instance", options_.instance_id}});
}

}  // namespace pillivery::events
