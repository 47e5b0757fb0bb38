#pragma once
// The test clock's offset (business_clock, one row): every process of one
// database reads it, an admin moves it forward.
#include "storage/database.hpp"

#include <cstdint>
#include <optional>

namespace pillivery::storage {

class BusinessClockRepository {
 public:
  explicit BusinessClockRepository(Database& db) : db_(db) {}

  std::int64_t OffsetMs();
  // Adds `delta_ms` (> 0) in one conditional update, so concurrent advances add
  // up and the clock never goes back; nullopt (nothing changed) when the offset
  // would pass `max_offset_ms`. Returns the new offset.
  std::optional<std::int64_t> Advance(std::int64_t delta_ms, std::int64_t max_offset_ms, const std::string& now_iso);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
