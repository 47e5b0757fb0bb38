#include "events/event_row.hpp"

#include "infra/log.hpp"
#include "storage/row_reader.hpp"

#include <boost/json/parse.hpp>

namespace pillivery::events::detail {

using storage::GetInt64;
using storage::GetOptionalInt64;
using storage::GetString;

EventRow ReadEventRow(const soci::row& row) {
  EventRow out;
  out.event.id = GetInt64(row, 0);
  out.event.type = GetString(row, 1);
  out.event.aggregate_id = GetString(row, 2);
  boost::system::error_code ec;
  auto payload = boost::json::parse(GetString(row, 3), ec);
  if (!ec && payload.is_object()) {
    out.event.payload = std::move(payload.as_object());
  } else {
    // Only OutboxWriter writes payloads; a broken one was edited by hand. The
    // handlers then see an empty object and fail it into the dead letters.
    infra::LogWarn("outbox event payload is not a JSON object", {{"eventId", out.event.id}});
  }
  out.event.attempts = static_cast<int>(GetInt64(row, 4));
  out.event.created_at = FromEpochMillis(GetInt64(row, 5));
  out.status = GetString(row, 6);
  out.last_error = GetString(row, 7);
  out.next_attempt_at = GetInt64(row, 8);
  out.processed_at = GetOptionalInt64(row, 9);
  return out;
}

}  // namespace pillivery::events::detail
