// A claimed batch's first deliveries handled together: the external handlers
// first (no transaction open), then the transactional ones in one transaction
// that also records the external successes (outbox_processor.hpp).
#include "events/outbox_metrics.hpp"
#include "events/outbox_processor.hpp"
#include "infra/log.hpp"

#include <chrono>

namespace pillivery::events {

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

}  // namespace pillivery::events
