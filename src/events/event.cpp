#include "events/event.hpp"

namespace pillivery::events {

const char* CodeOf(EventStatus status) {
  switch (status) {
    case EventStatus::kPending:
      return "PENDING";
    case EventStatus::kProcessing:
      return "PROCESSING";
    case EventStatus::kDone:
      return "DONE";
    case EventStatus::kDead:
      return "DEAD";
  }
  return "PENDING";
}

std::optional<EventStatus> ParseEventStatus(const std::string& code) {
  if (code == "PENDING") return EventStatus::kPending;
  if (code == "PROCESSING") return EventStatus::kProcessing;
  if (code == "DONE") return EventStatus::kDone;
  if (code == "DEAD") return EventStatus::kDead;
  return std::nullopt;
}

std::int64_t ToEpochMillis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point FromEpochMillis(std::int64_t ms) {
  return std::chrono::system_clock::time_point{std::chrono::milliseconds{ms}};
}

}  // namespace pillivery::events
