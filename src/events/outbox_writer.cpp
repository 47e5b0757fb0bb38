#include "events/outbox_writer.hpp"

#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace pillivery::events {

namespace {
constexpr std::size_t kMaxKeyLength = 100;  // the VARCHAR(100) columns
}

std::int64_t OutboxWriter::Append(soci::session& session, storage::Dialect dialect, const std::string& type,
                                  const std::string& aggregate_id, const boost::json::object& payload) const {
  // Programming errors, not client input: event types and ids come from our code.
  if (type.empty() || type.size() > kMaxKeyLength || aggregate_id.size() > kMaxKeyLength)
    throw std::invalid_argument("outbox event type or aggregate id is empty or too long");
  std::string body = boost::json::serialize(payload);
  long long now = ToEpochMillis(clock_.Now());
  long long created = now;
  session << "INSERT INTO outbox_events(event_type, aggregate_id, payload, status, attempts, "
             "next_attempt_at, created_at) VALUES(:t, :a, :p, 'PENDING', 0, :n, :c)",
      soci::use(type), soci::use(aggregate_id), soci::use(body), soci::use(now), soci::use(created);
  return storage::LastInsertId(session, dialect);
}

std::function<void(soci::session&, const std::string&, const std::string&, boost::json::object)>
OutboxWriter::AsSink(storage::Dialect dialect) const {
  return [this, dialect](soci::session& session, const std::string& type, const std::string& aggregate_id,
                         boost::json::object payload) { Append(session, dialect, type, aggregate_id, payload); };
}

}  // namespace pillivery::events
