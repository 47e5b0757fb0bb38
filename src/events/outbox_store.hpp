#pragma once
// The outbox processor's SQL: claiming due events under a lease, the fenced
// status updates (DONE, a failure, given back), the processed_events markers
// and the pending count. The processor decides; this only reads and writes rows.
// Every update of a claimed event is fenced by the lease (locked_by = instance,
// and `attempts` where one event is named), so a processor that lost its lease
// changes nothing.
#include "events/event.hpp"
#include "storage/database.hpp"
#include "storage/unit_of_work.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pillivery::events {

using Marker = std::pair<std::string, std::int64_t>;  // (handler, event id) of processed_events

// A claimed event; `first_delivery`: no handler has run for it before (its first
// attempt, never failed nor replayed), so no processed_events marker can exist.
struct ClaimedEvent {
  Event event;
  bool first_delivery = false;
};

class OutboxStore {
 public:
  OutboxStore(storage::Database& db, std::string instance_id) : db_(db), instance_id_(std::move(instance_id)) {}

  // Up to `max` due events (PENDING and due, or PROCESSING past their lease;
  // `expired_first`: those first), marked PROCESSING by this instance until
  // `until_ms` with one more attempt, in one short transaction.
  std::vector<ClaimedEvent> Claim(int max, std::int64_t now_ms, std::int64_t until_ms, bool expired_first);

  // In the batch's unit of work: marks first-delivery events DONE (fenced on
  // attempts = 1); returns how many rows it changed.
  std::size_t MarkFirstDeliveriesDone(storage::UnitOfWork& work, const std::vector<const Event*>& events,
                                      std::int64_t now_ms);
  // In the batch's unit of work: events not started are given back as Release does.
  void GiveBack(storage::UnitOfWork& work, const std::vector<const Event*>& events);
  // One multi-row INSERT IGNORE of markers (in `work`, or on a connection of its
  // own); returns how many were new.
  std::size_t InsertMarkers(storage::UnitOfWork& work, const std::vector<Marker>& markers, std::int64_t now_ms);
  std::size_t InsertMarkers(const std::vector<Marker>& markers, std::int64_t now_ms);
  // One marker in `work`: false when it exists already (applied by an earlier delivery).
  bool InsertMarker(storage::UnitOfWork& work, const Marker& marker, std::int64_t now_ms);

  // The external successes of a batch: markers first (a lost DONE then skips
  // them on redelivery), then DONE fenced on attempts = 1. Returns the ids
  // this instance marked DONE.
  std::set<std::int64_t> RecordFirstDeliveriesDone(const std::vector<const Event*>& events,
                                                   const std::vector<Marker>& markers, std::int64_t now_ms);

  bool AlreadyProcessed(const std::string& handler_name, std::int64_t event_id);
  // False: the lease was lost.
  bool MarkDone(const Event& event, std::int64_t now_ms);
  // `status`: kPending (retried at next_attempt_ms) or kDead. False: the lease was lost.
  bool MarkFailed(const Event& event, EventStatus status, std::int64_t next_attempt_ms, const std::string& error);
  // Not a failure: the attempt never started, so it is given back.
  void Release(const Event& event);

  struct Counts {
    std::int64_t waiting = 0;  // PENDING or PROCESSING
    std::int64_t dead = 0;
  };
  Counts CountByState();

 private:
  storage::Database& db_;
  std::string instance_id_;
};

}  // namespace pillivery::events
