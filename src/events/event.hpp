#pragma once
// An outbox event as handlers and the admin see it, and the two kinds of handler.
#include "storage/unit_of_work.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace pillivery::events {

enum class EventStatus { kPending, kProcessing, kDone, kDead };
const char* CodeOf(EventStatus status);
std::optional<EventStatus> ParseEventStatus(const std::string& code);

struct Event {
  std::int64_t id = 0;
  std::string type;
  std::string aggregate_id;
  boost::json::object payload;
  // Deliveries started so far, this one included (a claim counts, so an event
  // that crashes its processor still runs out of attempts).
  int attempts = 0;
  std::chrono::system_clock::time_point created_at;
};

// Runs inside a unit of work that also records (handler, event id) in
// processed_events: its database effect happens once even if the event is
// delivered twice. It writes through repositories that take the unit of work;
// the processor commits. Throw to fail the attempt (everything rolls back).
using TransactionalHandler = std::function<void(const Event&, storage::UnitOfWork&)>;
// Runs with no transaction and no session, for work outside the database (the
// payment gateway, notifications). Must be idempotent itself, e.g. keyed by the
// event id: it is skipped once it has succeeded, but a crash between its success
// and that record delivers it again. Throw to fail the attempt.
using ExternalHandler = std::function<void(const Event&)>;

std::int64_t ToEpochMillis(std::chrono::system_clock::time_point t);
std::chrono::system_clock::time_point FromEpochMillis(std::int64_t ms);

}  // namespace pillivery::events
