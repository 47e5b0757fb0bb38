#pragma once
// What an operator does with the outbox: list dead letters and send them again.
#include "events/event.hpp"
#include "infra/clock.hpp"
#include "storage/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pillivery::events {

struct EventRecord {
  Event event;
  EventStatus status = EventStatus::kPending;
  std::string last_error;
  std::chrono::system_clock::time_point next_attempt_at;
  std::optional<std::chrono::system_clock::time_point> processed_at;
};

struct EventPage {
  std::vector<EventRecord> events;
  std::int64_t total = 0;
};

class OutboxAdmin {
 public:
  static constexpr int kMaxPageSize = 100;

  OutboxAdmin(storage::Database& db, const infra::Clock& clock) : db_(db), clock_(clock) {}

  // Dead letters, newest first; page is 1-based, size capped at kMaxPageSize.
  EventPage ListDead(int page, int size);
  std::optional<EventRecord> Find(std::int64_t id);
  // DEAD → PENDING, due now, attempts reset. Handlers that already succeeded on it
  // (processed_events) are not run again. Throws 404 EVENT_NOT_FOUND, 409 EVENT_NOT_DEAD.
  void Replay(std::int64_t id);
  // Deletes DONE events processed before `before` and their processed_events rows;
  // a DONE event is never delivered again, so its idempotency record is no longer needed.
  int PurgeDone(std::chrono::system_clock::time_point before, int limit = 1000);

 private:
  storage::Database& db_;
  const infra::Clock& clock_;
};

}  // namespace pillivery::events
