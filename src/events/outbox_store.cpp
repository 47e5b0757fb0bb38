#include "events/outbox_store.hpp"

#include "events/event_row.hpp"
#include "storage/row_reader.hpp"
#include "storage/unit_of_work_session.hpp"

namespace pillivery::events {

using storage::Dialect;

namespace {

std::string IdList(const std::vector<const Event*>& events) {
  std::string ids;
  for (const auto* event : events) ids += (ids.empty() ? "" : ",") + std::to_string(event->id);
  return ids;
}

// (handler, event id) rows of processed_events, in one multi-row statement.
std::size_t InsertMarkersIn(soci::session& session, Dialect dialect, const std::vector<Marker>& markers,
                            long long now) {
  if (markers.empty()) return 0;
  // One multi-row statement; the names are bound, the ids are numbers we wrote.
  std::string sql =
      std::string(storage::InsertIgnore(dialect)) + " INTO processed_events(handler, event_id, processed_at) VALUES";
  for (std::size_t i = 0; i < markers.size(); ++i)
    sql += std::string(i ? ", " : " ") + "(:h" + std::to_string(i) + ", " + std::to_string(markers[i].second) + ", :t" +
           std::to_string(i) + ")";
  soci::details::prepare_temp_type prep = session.prepare << sql;
  for (std::size_t i = 0; i < markers.size(); ++i)
    prep, soci::use(markers[i].first, "h" + std::to_string(i)), soci::use(now, "t" + std::to_string(i));
  soci::statement st(prep);
  st.execute(true);
  return static_cast<std::size_t>(st.get_affected_rows());
}

std::string InsertMarkerSql(Dialect dialect) {
  return std::string(storage::InsertIgnore(dialect)) +
         " INTO processed_events(handler, event_id, processed_at) VALUES(:h, :e, :t)";
}

}  // namespace

std::vector<ClaimedEvent> OutboxStore::Claim(int max, std::int64_t now_ms, std::int64_t until_ms, bool expired_first) {
  std::vector<ClaimedEvent> batch;
  if (max <= 0) return batch;
  Dialect dialect = db_.GetDialect();
  auto lease = db_.Acquire();
  soci::session& session = *lease;
  long long now = now_ms, until = until_ms;

  // MariaDB: SKIP LOCKED lets concurrent claimers take disjoint batches instead of
  // queueing; SQLite: BEGIN IMMEDIATE admits one writer, so select+update is atomic.
  storage::Transaction tx(session, dialect);
  auto select = [&](const char* where_and_order) {
    long long limit = max - static_cast<long long>(batch.size());
    if (limit <= 0) return;
    std::string sql = std::string("SELECT ") + detail::kEventColumns + " FROM outbox_events " + where_and_order +
                      " LIMIT :n" + storage::ForUpdateSkipLocked(dialect);
    soci::rowset<soci::row> rows = (session.prepare << sql, soci::use(now, "now"), soci::use(limit, "n"));
    for (const auto& row : rows) {
      auto read = detail::ReadEventRow(storage::RowView(row));
      // Attempts 0 and no error: never started (a released attempt does not count),
      // never failed, never replayed (a dead letter keeps its last error).
      bool first = read.event.attempts == 0 && read.last_error.empty();
      batch.push_back({std::move(read.event), first});
    }
  };
  // Each query walks its index in order and stops at the limit, so a locking read
  // holds only the rows it takes.
  constexpr const char* kExpired = "WHERE status = 'PROCESSING' AND locked_until < :now ORDER BY locked_until, id";
  if (expired_first) select(kExpired);
  select("WHERE status = 'PENDING' AND next_attempt_at <= :now ORDER BY next_attempt_at, id");
  if (!expired_first) select(kExpired);
  if (batch.empty()) return batch;  // the transaction rolls back: nothing was changed

  std::string ids;
  for (const auto& claimed : batch) ids += (ids.empty() ? "" : ",") + std::to_string(claimed.event.id);
  // attempts counts deliveries started, so an event that crashes its processor
  // still runs out of attempts; it is also the fencing token for the result update.
  session << "UPDATE outbox_events SET status = 'PROCESSING', locked_by = :me, locked_until = :until, "
             "attempts = attempts + 1 WHERE id IN (" +
                 ids + ")",
      soci::use(instance_id_), soci::use(until);
  tx.Commit();
  for (auto& claimed : batch) ++claimed.event.attempts;
  return batch;
}

std::size_t OutboxStore::MarkFirstDeliveriesDone(storage::UnitOfWork& work, const std::vector<const Event*>& events,
                                                 std::int64_t now_ms) {
  long long now = now_ms;
  soci::statement fence =
      (storage::SessionOf(work).prepare << "UPDATE outbox_events SET status = 'DONE', processed_at = :now, "
                                           "locked_by = NULL, locked_until = NULL WHERE status = 'PROCESSING' AND "
                                           "locked_by = :me AND attempts = 1 AND id IN (" +
                                               IdList(events) + ")",
       soci::use(now), soci::use(instance_id_));
  fence.execute(true);
  return static_cast<std::size_t>(fence.get_affected_rows());
}

void OutboxStore::GiveBack(storage::UnitOfWork& work, const std::vector<const Event*>& events) {
  storage::SessionOf(work) << "UPDATE outbox_events SET status = 'PENDING', attempts = attempts - 1, "
                              "processed_at = NULL WHERE id IN (" +
                                  IdList(events) + ")";
}

std::size_t OutboxStore::InsertMarkers(storage::UnitOfWork& work, const std::vector<Marker>& markers,
                                       std::int64_t now_ms) {
  return InsertMarkersIn(storage::SessionOf(work), work.GetDialect(), markers, now_ms);
}

std::size_t OutboxStore::InsertMarkers(const std::vector<Marker>& markers, std::int64_t now_ms) {
  if (markers.empty()) return 0;
  auto lease = db_.Acquire();
  return InsertMarkersIn(*lease, db_.GetDialect(), markers, now_ms);
}

bool OutboxStore::InsertMarker(storage::UnitOfWork& work, const Marker& marker, std::int64_t now_ms) {
  long long id = marker.second, now = now_ms;
  soci::statement mark = (storage::SessionOf(work).prepare << InsertMarkerSql(work.GetDialect()),
                          soci::use(marker.first), soci::use(id), soci::use(now));
  mark.execute(true);
  return mark.get_affected_rows() > 0;
}

std::set<std::int64_t> OutboxStore::RecordFirstDeliveriesDone(const std::vector<const Event*>& events,
                                                              const std::vector<Marker>& markers, std::int64_t now_ms) {
  auto lease = db_.Acquire();
  long long now = now_ms;
  InsertMarkersIn(*lease, db_.GetDialect(), markers, now);
  soci::statement st =
      (lease->prepare << "UPDATE outbox_events SET status = 'DONE', processed_at = :now, locked_by = NULL, "
                         "locked_until = NULL WHERE status = 'PROCESSING' AND locked_by = :me AND attempts = 1 "
                         "AND id IN (" +
                             IdList(events) + ")",
       soci::use(now), soci::use(instance_id_));
  st.execute(true);
  std::set<std::int64_t> ours;
  if (static_cast<std::size_t>(st.get_affected_rows()) == events.size()) {
    for (const auto* event : events) ours.insert(event->id);
    return ours;
  }
  // Some leases were lost: a reclaim made attempts at least 2, so those still
  // at 1 and DONE are the ones this update marked.
  soci::rowset<long long> rows =
      (lease->prepare << "SELECT id FROM outbox_events WHERE status = 'DONE' AND attempts = 1 AND id IN (" +
                             IdList(events) + ")");
  for (long long id : rows) ours.insert(id);
  return ours;
}

bool OutboxStore::AlreadyProcessed(const std::string& handler_name, std::int64_t event_id) {
  auto lease = db_.Acquire();
  long long id = event_id;
  int count = 0;
  *lease << "SELECT COUNT(*) FROM processed_events WHERE handler = :h AND event_id = :e", soci::use(handler_name),
      soci::use(id), soci::into(count);
  return count > 0;
}

bool OutboxStore::MarkDone(const Event& event, std::int64_t now_ms) {
  auto lease = db_.Acquire();
  long long id = event.id, now = now_ms;
  int attempts = event.attempts;
  soci::statement st =
      (lease->prepare << "UPDATE outbox_events SET status = 'DONE', processed_at = :now, locked_by = NULL, "
                         "locked_until = NULL WHERE id = :id AND status = 'PROCESSING' AND locked_by = :me "
                         "AND attempts = :a",
       soci::use(now), soci::use(id), soci::use(instance_id_), soci::use(attempts));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool OutboxStore::MarkFailed(const Event& event, EventStatus status, std::int64_t next_attempt_ms,
                             const std::string& error) {
  std::string code = CodeOf(status);
  long long id = event.id, next = next_attempt_ms;
  int attempts = event.attempts;
  auto lease = db_.Acquire();
  soci::statement st =
      (lease->prepare << "UPDATE outbox_events SET status = :s, next_attempt_at = :next, last_error = :err, "
                         "locked_by = NULL, locked_until = NULL WHERE id = :id AND status = 'PROCESSING' "
                         "AND locked_by = :me AND attempts = :a",
       soci::use(code), soci::use(next), soci::use(error), soci::use(id), soci::use(instance_id_), soci::use(attempts));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

void OutboxStore::Release(const Event& event) {
  auto lease = db_.Acquire();
  long long id = event.id;
  int attempts = event.attempts;
  *lease << "UPDATE outbox_events SET status = 'PENDING', attempts = attempts - 1, locked_by = NULL, "
            "locked_until = NULL WHERE id = :id AND status = 'PROCESSING' AND locked_by = :me AND attempts = :a",
      soci::use(id), soci::use(instance_id_), soci::use(attempts);
}

OutboxStore::Counts OutboxStore::CountByState() {
  auto lease = db_.Acquire();
  Counts counts;
  soci::rowset<soci::row> rows =
      (lease->prepare << "SELECT status, COUNT(*) FROM outbox_events "
                         "WHERE status IN ('PENDING', 'PROCESSING', 'DEAD') GROUP BY status");
  for (const auto& row : rows) {
    std::int64_t n = storage::GetInt64(row, 1);
    (ParseEventStatus(storage::GetString(row, 0)) == EventStatus::kDead ? counts.dead : counts.waiting) += n;
  }
  return counts;
}

}  // namespace pillivery::events
