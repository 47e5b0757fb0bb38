#include "storage/business_clock_repository.hpp"

#include "storage/row_reader.hpp"

namespace pillivery::storage {

std::int64_t BusinessClockRepository::OffsetMs() {
  auto lease = db_.Acquire();
  std::int64_t offset = 0;
  db_.Query(*lease, "SELECT offset_ms FROM business_clock WHERE id = 1", SqlParams{},
            [&](const soci::row& r) { offset = GetInt64(r, 0); });
  return offset;
}

std::optional<std::int64_t> BusinessClockRepository::Advance(std::int64_t delta_ms, std::int64_t max_offset_ms,
                                                             const std::string& now_iso) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  Transaction tx(s, db_.GetDialect());
  long long delta = delta_ms, limit = max_offset_ms - delta_ms;
  soci::statement st = (s.prepare << "UPDATE business_clock SET offset_ms = offset_ms + :d, updated_at = :u "
                                     "WHERE id = 1 AND offset_ms <= :m",
                        soci::use(delta), soci::use(now_iso), soci::use(limit));
  st.execute(true);
  if (st.get_affected_rows() != 1) return std::nullopt;
  long long offset = 0;
  s << "SELECT offset_ms FROM business_clock WHERE id = 1", soci::into(offset);
  tx.Commit();
  return offset;
}

}  // namespace pillivery::storage
