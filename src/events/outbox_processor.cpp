#include "events/outbox_processor.hpp"

#include "events/outbox_metrics.hpp"
#include "infra/log.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <unistd.h>

namespace pillivery::events {

namespace {

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

}  // namespace

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
