#include "events/outbox_writer.hpp"

#include "storage/sql_builder.hpp"
#include "storage/unit_of_work_session.hpp"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace pillivery::events {

namespace {
constexpr std::size_t kMaxKeyLength = 100;  // the VARCHAR(100) columns
}

namespace {
void CheckKeys(const std::string& type, const std::string& aggregate_id) {
  // Programming errors, not client input: event types and ids come from our code.
  if (type.empty() || type.size() > kMaxKeyLength || aggregate_id.size() > kMaxKeyLength)
    throw std::invalid_argument("outbox event type or aggregate id is empty or too long");
}
}  // namespace

std::int64_t OutboxWriter::Append(storage::UnitOfWork& work, const std::string& type, const std::string& aggregate_id,
                                  const boost::json::object& payload) const {
  soci::session& session = storage::SessionOf(work);
  CheckKeys(type, aggregate_id);
  std::string body = boost::json::serialize(payload);
  long long now = ToEpochMillis(clock_.Now());
  long long created = now;
  session << "INSERT INTO outbox_events(event_type, aggregate_id, payload, status, attempts, "
             "next_attempt_at, created_at) VALUES(:t, :a, :p, 'PENDING', 0, :n, :c)",
      soci::use(type), soci::use(aggregate_id), soci::use(body), soci::use(now), soci::use(created);
  return storage::LastInsertId(session, work.GetDialect());
}

void OutboxWriter::AppendMany(storage::UnitOfWork& work, const std::vector<NewEvent>& events) const {
  if (events.empty()) return;
  if (events.size() == 1) {
    Append(work, events[0].type, events[0].aggregate_id, events[0].payload);
    return;
  }
  std::vector<std::string> bodies;
  bodies.reserve(events.size());  // never reallocated: the statement binds views of them
  const long long now = ToEpochMillis(clock_.Now());
  storage::SqlBuilder sql(work.GetDialect());
  sql << "INSERT INTO outbox_events(event_type, aggregate_id, payload, status, attempts, next_attempt_at, created_at) "
         "VALUES ";
  // Ids grow in the order of the rows, so the processor (by next_attempt_at, id) sees them in this order.
  for (std::size_t i = 0; i < events.size(); ++i) {
    CheckKeys(events[i].type, events[i].aggregate_id);
    bodies.push_back(boost::json::serialize(events[i].payload));
    sql << (i ? ", " : "");
    sql.Row({events[i].type, events[i].aggregate_id, bodies.back(), CodeOf(EventStatus::kPending), 0, now, now});
  }
  storage::StatementCache::ExecuteOnce(storage::SessionOf(work), sql.Sql(), sql.Params());
}

std::function<void(storage::UnitOfWork&, const std::vector<NewEvent>&)> OutboxWriter::AsBatchSink() const {
  return [this](storage::UnitOfWork& work, const std::vector<NewEvent>& events) { AppendMany(work, events); };
}

std::function<void(storage::UnitOfWork&, const std::string&, const std::string&, boost::json::object)>
OutboxWriter::AsSink() const {
  return [this](storage::UnitOfWork& work, const std::string& type, const std::string& aggregate_id,
                const boost::json::object& payload) { Append(work, type, aggregate_id, payload); };
}

}  // namespace pillivery::events
