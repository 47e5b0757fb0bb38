// One event at a time (retries, mixed handler kinds, a rolled-back batch), and
// the outcomes both paths record: DONE, a failure with backoff or a dead
// letter, a give-back.
#include "events/outbox_metrics.hpp"
#include "events/outbox_processor.hpp"
#include "infra/log.hpp"

namespace pillivery::events {

namespace {

constexpr std::size_t kMaxErrorLength = 2000;

std::string Truncate(std::string text) {
  if (text.size() > kMaxErrorLength) text.resize(kMaxErrorLength);
  return text;
}

}  // namespace

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

double OutboxProcessor::NextUnitRandom() {
  std::lock_guard lock(random_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_);
}

}  // namespace pillivery::events
