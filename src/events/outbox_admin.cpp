#include "events/outbox_admin.hpp"

#include "domain/error.hpp"
#include "events/event_row.hpp"
#include "infra/log.hpp"
#include "storage/row_reader.hpp"

#include <algorithm>

namespace pillivery::events {

using domain::Error;
using domain::ErrorCode;

namespace {

EventRecord ToRecord(detail::EventRow row) {
  EventRecord out;
  out.event = std::move(row.event);
  out.status = row.status;
  out.last_error = std::move(row.last_error);
  out.next_attempt_at = FromEpochMillis(row.next_attempt_at);
  if (row.processed_at) out.processed_at = FromEpochMillis(*row.processed_at);
  return out;
}

}  // namespace

EventPage OutboxAdmin::ListDead(int page, int size) {
  page = std::max(page, 1);
  size = size < 1 ? 20 : std::min(size, kMaxPageSize);
  long long limit = size;
  long long offset = static_cast<long long>(page - 1) * size;
  EventPage out;
  auto lease = db_.Acquire();
  long long total = 0;
  *lease << "SELECT COUNT(*) FROM outbox_events WHERE status = 'DEAD'", soci::into(total);
  out.total = total;
  soci::rowset<soci::row> rows =
      (lease->prepare << std::string("SELECT ") + detail::kEventColumns +
                             " FROM outbox_events WHERE status = 'DEAD' ORDER BY id DESC LIMIT :n OFFSET :o",
       soci::use(limit), soci::use(offset));
  for (const auto& row : rows) out.events.push_back(ToRecord(detail::ReadEventRow(storage::RowView(row))));
  return out;
}

std::optional<EventRecord> OutboxAdmin::Find(std::int64_t id) {
  auto lease = db_.Acquire();
  long long key = id;
  soci::rowset<soci::row> rows =
      (lease->prepare << std::string("SELECT ") + detail::kEventColumns + " FROM outbox_events WHERE id = :id",
       soci::use(key));
  for (const auto& row : rows) return ToRecord(detail::ReadEventRow(storage::RowView(row)));
  return std::nullopt;
}

void OutboxAdmin::Replay(std::int64_t id) {
  auto lease = db_.Acquire();
  long long key = id;
  long long now = ToEpochMillis(clock_.Now());
  // Conditional on DEAD in the same statement, so two admins replaying at once
  // cannot both reset an event that a processor has already picked up again.
  soci::statement st = (lease->prepare << "UPDATE outbox_events SET status = 'PENDING', attempts = 0, "
                                          "next_attempt_at = :now, locked_by = NULL, locked_until = NULL "
                                          "WHERE id = :id AND status = 'DEAD'",
                        soci::use(now), soci::use(key));
  st.execute(true);
  if (st.get_affected_rows() > 0) {
    infra::LogInfo("outbox dead letter replayed", {{"eventId", id}});
    return;
  }
  std::string status;
  soci::indicator ind = soci::i_null;
  *lease << "SELECT status FROM outbox_events WHERE id = :id", soci::use(key), soci::into(status, ind);
  if (!lease->got_data() || ind != soci::i_ok)
    throw Error(ErrorCode::kEventNotFound, "No event with id " + std::to_string(id) + ".");
  throw Error(ErrorCode::kEventNotDead,
              "Event " + std::to_string(id) + " is " + status + "; only dead events can be replayed.");
}

int OutboxAdmin::PurgeDone(std::chrono::system_clock::time_point before, int limit) {
  auto lease = db_.Acquire();
  long long cutoff = ToEpochMillis(before);
  long long max = std::max(limit, 1);
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = (lease->prepare << "SELECT id FROM outbox_events WHERE status = 'DONE' AND "
                                                    "processed_at < :t ORDER BY id LIMIT :n",
                                  soci::use(cutoff), soci::use(max));
  for (const auto& row : rows) ids.push_back(storage::GetInt64(row, 0));
  if (ids.empty()) return 0;
  std::string list;
  for (auto id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  storage::Transaction tx(*lease, db_.GetDialect());
  *lease << "DELETE FROM processed_events WHERE event_id IN (" + list + ")";
  *lease << "DELETE FROM outbox_events WHERE status = 'DONE' AND id IN (" + list + ")";
  tx.Commit();
  return static_cast<int>(ids.size());
}

}  // namespace pillivery::events
