#pragma once
// Appends events to the outbox inside the caller's open transaction, so an event
// exists exactly when the change that causes it commits.
#include "events/event.hpp"
#include "infra/clock.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pillivery::events {

// One event to append (AppendMany).
struct NewEvent {
  std::string type;
  std::string aggregate_id;
  boost::json::object payload;
};

class OutboxWriter {
 public:
  explicit OutboxWriter(const infra::Clock& clock) : clock_(clock) {}

  // Writes a PENDING event due now on `session`, which must be inside the
  // caller's transaction (storage::Transaction). Returns the event id.
  std::int64_t Append(soci::session& session, storage::Dialect dialect, const std::string& type,
                      const std::string& aggregate_id, const boost::json::object& payload) const;

  // Several PENDING events due now in one multi-row INSERT (one statement), in
  // the order given, on `session` inside the caller's transaction.
  void AppendMany(soci::session& session, storage::Dialect dialect, const std::vector<NewEvent>& events) const;

  // The same as a plain callable (the shape of service::EventSink), so services
  // need not know this class.
  std::function<void(soci::session&, const std::string&, const std::string&, boost::json::object)> AsSink(
      storage::Dialect dialect) const;
  // AppendMany as a plain callable.
  std::function<void(soci::session&, const std::vector<NewEvent>&)> AsBatchSink(storage::Dialect dialect) const;

 private:
  const infra::Clock& clock_;
};

}  // namespace pillivery::events
