#pragma once
// Internal: the outbox_events columns the processor and the admin read, in one place.
#include "events/event.hpp"
#include "storage/row_view.hpp"

namespace pillivery::events::detail {

inline constexpr const char* kEventColumns =
    "id, event_type, aggregate_id, payload, attempts, created_at, status, last_error, "
    "next_attempt_at, processed_at";

struct EventRow {
  Event event;
  EventStatus status = EventStatus::kPending;
  std::string last_error;
  std::int64_t next_attempt_at = 0;
  std::optional<std::int64_t> processed_at;
};

// Reads a row selected with kEventColumns.
EventRow ReadEventRow(const storage::RowView& row);

}  // namespace pillivery::events::detail
