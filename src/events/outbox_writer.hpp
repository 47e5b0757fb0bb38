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

  // Writes a PENDING event due now in the caller's unit of work (it commits
  // with the change that causes it). Returns the event id.
  std::int64_t Append(storage::UnitOfWork& work, const std::string& type, const std::string& aggregate_id,
                      const boost::json::object& payload) const;

  // Several PENDING events due now in one multi-row INSERT (one statement), in
  // the order given, in the caller's unit of work.
  void AppendMany(storage::UnitOfWork& work, const std::vector<NewEvent>& events) const;

  // The same as a plain callable (the shape of service::EventSink), so services
  // need not know this class.
  std::function<void(storage::UnitOfWork&, const std::string&, const std::string&, boost::json::object)> AsSink() const;
  // AppendMany as a plain callable.
  std::function<void(storage::UnitOfWork&, const std::vector<NewEvent>&)> AsBatchSink() const;

 private:
  const infra::Clock& clock_;
};

}  // namespace pillivery::events
