#include "events/outbox_processor.hpp"

#include "events/event_row.hpp"
#include "infra/log.hpp"
#include "storage/row_reader.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <unistd.h>

namespace pillivery::events {

using storage::Dialect;

namespace {

constexpr std::size_t kMaxErrorLength = 2000;

std::string DefaultInstanceId() {
  static std::atomic<int> counter{0};
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(counter++);
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
    : db_(db), clock_(clock), options_(std::move(options)), random_(std::random_device{}()) {
  if (options_.instance_id.empty()) options_.instance_id = DefaultInstanceId();
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  if (options_.batch_size < 1) options_.batch_size = 1;
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
  std::vector<Event> batch;
  if (max <= 0) return batch;
  Dialect dialect = db_.GetDialect();
  auto lease = db_.Acquire();
  soci::session& session = *lease;
  long long now = ToEpochMillis(clock_.Now());
  long long until = now + options_.lease.count();

  // MariaDB: SKIP LOCKED lets concurrent claimers take disjoint batches instead of
  // queueing; SQLite: BEGIN IMMEDIATE admits one writer, so select+update is atomic.
  storage::Transaction tx(session, dialect);
  auto select = [&](const char* where_and_order) {
    long long limit = max - static_cast<long long>(batch.size());
    if (limit <= 0) return;
    std::string sql = std::string("SELECT ") + detail::kEventColumns + " FROM outbox_events " +
                      where_and_order + " LIMIT :n" + storage::ForUpdateSkipLocked(dialect);
    soci::rowset<soci::row> rows = (session.prepare << sql, soci::use(now, "now"), soci::use(limit, "n"));
    for (const auto& row : rows) batch.push_back(detail::ReadEventRow(row).event);
  };
  // Each query walks its index in order and stops at the limit, so a locking read
  // holds only the rows it takes. Expired leases first: they have waited longest.
  select("WHERE status = 'PROCESSING' AND locked_until < :now ORDER BY locked_until, id");
  select("WHERE status = 'PENDING' AND next_attempt_at <= :now ORDER BY next_attempt_at, id");
  if (batch.empty()) return batch;  // the transaction rolls back: nothing was changed

  std::string ids;
  for (const auto& event : batch) ids += (ids.empty() ? "" : ",") + std::to_string(event.id);
  // attempts counts deliveries started, so an event that crashes its processor
  // still runs out of attempts; it is also the fencing token for the result update.
  session << "UPDATE outbox_events SET status = 'PROCESSING', locked_by = :me, locked_until = :until, "
             "attempts = attempts + 1 WHERE id IN (" + ids + ")",
      soci::use(options_.instance_id), soci::use(until);
  tx.Commit();
  for (auto& event : batch) ++event.attempts;
  return batch;
}

bool OutboxProcessor::AlreadyProcessed(const std::string& handler_name, std::int64_t event_id) {
  auto lease = db_.Acquire();
  long long id = event_id;
  int count = 0;
  *lease << "SELECT COUNT(*) FROM processed_events WHERE handler = :h AND event_id = :e", soci::use(handler_name),
      soci::use(id), soci::into(count);
  return count > 0;
}

bool OutboxProcessor::RunHandler(const Registration& registration, const Event& event) {
  Dialect dialect = db_.GetDialect();
  long long id = event.id;
  long long now = ToEpochMillis(clock_.Now());
  std::string insert = std::string(storage::InsertIgnore(dialect)) +
                       " INTO processed_events(handler, event_id, processed_at) VALUES(:h, :e, :t)";
  if (registration.transactional) {
    auto lease = db_.Acquire();
    storage::Transaction tx(*lease, dialect);
    // The marker goes first: on MariaDB a second delivery running at the same time
    // waits on this key and then finds it taken, instead of applying the effect twice.
    soci::statement mark = (lease->prepare << insert, soci::use(registration.name), soci::use(id), soci::use(now));
    mark.execute(true);
    if (mark.get_affected_rows() == 0) return false;  // applied by an earlier delivery
    registration.transactional(event, *lease, dialect);
    tx.Commit();
    return true;
  }
  // No transaction and no pooled connection are held while an external call runs.
  if (AlreadyProcessed(registration.name, event.id)) return false;
  registration.external(event);
  auto lease = db_.Acquire();
  *lease << insert, soci::use(registration.name), soci::use(id), soci::use(now);
  return true;
}

void OutboxProcessor::Process(const Event& event) {
  std::string error;
  auto found = handlers_.find(event.type);
  if (found == handlers_.end() || found->second.empty()) {
    error = "no handler for event type '" + event.type + "'";
    infra::LogWarn("outbox event has no handler", {{"eventId", event.id}, {"type", event.type}});
  } else {
    for (const auto& registration : found->second) {
      try {
        RunHandler(registration, event);
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
  auto lease = db_.Acquire();
  long long id = event.id;
  long long now = ToEpochMillis(clock_.Now());
  int attempts = event.attempts;
  soci::statement st =
      (lease->prepare << "UPDATE outbox_events SET status = 'DONE', processed_at = :now, locked_by = NULL, "
                         "locked_until = NULL WHERE id = :id AND status = 'PROCESSING' AND locked_by = :me "
                         "AND attempts = :a",
       soci::use(now), soci::use(id), soci::use(options_.instance_id), soci::use(attempts));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    infra::LogWarn("outbox lease lost before the event was marked done", {{"eventId", event.id}});
    return;
  }
  if (metrics_) metrics_->processed.Add({{"type", event.type}}).Increment();
}

void OutboxProcessor::MarkFailed(const Event& event, const std::string& error) {
  bool dead = event.attempts >= options_.max_attempts;
  long long now = ToEpochMillis(clock_.Now());
  long long next = dead ? now : now + BackoffDelay(options_.backoff, event.attempts, NextUnitRandom()).count();
  std::string status = dead ? "DEAD" : "PENDING";
  std::string message = Truncate(error);
  long long id = event.id;
  int attempts = event.attempts;
  auto lease = db_.Acquire();
  soci::statement st =
      (lease->prepare << "UPDATE outbox_events SET status = :s, next_attempt_at = :next, last_error = :err, "
                         "locked_by = NULL, locked_until = NULL WHERE id = :id AND status = 'PROCESSING' "
                         "AND locked_by = :me AND attempts = :a",
       soci::use(status), soci::use(next), soci::use(message), soci::use(id), soci::use(options_.instance_id),
       soci::use(attempts));
  st.execute(true);
  bool recorded = st.get_affected_rows() > 0;
  boost::json::object fields{{"eventId", event.id}, {"type", event.type}, {"attempts", event.attempts},
                             {"error", message}};
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

void OutboxProcessor::Release(const Event& event) {
  auto lease = db_.Acquire();
  long long id = event.id;
  int attempts = event.attempts;
  // Not a failure: the attempt never started, so it is given back.
  *lease << "UPDATE outbox_events SET status = 'PENDING', attempts = attempts - 1, locked_by = NULL, "
            "locked_until = NULL WHERE id = :id AND status = 'PROCESSING' AND locked_by = :me AND attempts = :a",
      soci::use(id), soci::use(options_.instance_id), soci::use(attempts);
}

int OutboxProcessor::RunOnce(int max) {
  auto claimed_at = clock_.Now();
  std::vector<Event> batch = Claim(max);
  // An event started late in its lease could still be running when another
  // processor reclaims it: start one only in the first half of the lease.
  auto start_deadline = claimed_at + options_.lease / 2;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (stopping_ || clock_.Now() >= start_deadline) {
      for (std::size_t j = i; j < batch.size(); ++j) {
        try {
          Release(batch[j]);
        } catch (const std::exception& e) {
          infra::LogWarn("outbox could not release an event", {{"eventId", batch[j].id}, {"error", e.what()}});
        }
      }
      break;
    }
    Process(batch[i]);
  }
  return static_cast<int>(batch.size());
}

std::int64_t OutboxProcessor::CountPending() {
  auto lease = db_.Acquire();
  std::int64_t pending = 0;
  std::int64_t dead = 0;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT status, COUNT(*) FROM outbox_events "
                         "WHERE status IN ('PENDING', 'PROCESSING', 'DEAD') GROUP BY status");
  for (const auto& row : rows) {
    std::int64_t n = storage::GetInt64(row, 1);
    (storage::GetString(row, 0) == "DEAD" ? dead : pending) += n;
  }
  if (metrics_) {
    metrics_->pending.Set(static_cast<double>(pending));
    metrics_->dead_now.Set(static_cast<double>(dead));
  }
  return pending;
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
  while (running_) {
    int claimed = 0;
    try {
      CountPending();
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
