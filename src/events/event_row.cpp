#include "events/event_row.hpp"

#include "infra/log.hpp"

#include <boost/json/parse.hpp>

namespace pillivery::events::detail {

EventRow ReadEventRow(const storage::RowView& row) {
  EventRow out;
  out.event.id = row.Int64(0);
  out.event.type = row.String(1);
  out.event.aggregate_id = row.String(2);
  boost::system::error_code ec;
  auto payload = boost::json::parse(row.String(3), ec);
  if (!ec && payload.is_object()) {
    out.event.payload = std::move(payload.as_object());
  } else {
    // Only OutboxWriter writes payloads; a broken one was edited by hand. The
    // handlers then see an empty object and fail it into the dead letters.
    infra::LogWarn("outbox event payload is not a JSON object", {{"eventId", out.event.id}});
  }
  out.event.attempts = static_cast<int>(row.Int64(4));
  out.event.created_at = FromEpochMillis(row.Int64(5));
  out.status = ParseEventStatus(row.String(6)).value_or(EventStatus::kPending);
  out.last_error = row.String(7);
  out.next_attempt_at = row.Int64(8);
  out.processed_at = row.OptionalInt64(9);
  return out;
}

}  // namespace pillivery::events::detail
