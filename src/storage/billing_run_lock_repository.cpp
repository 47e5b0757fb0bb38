#include "storage/billing_run_lock_repository.hpp"

#include "storage/dialect.hpp"
#include "storage/row_reader.hpp"

namespace pillivery::storage {

// Conditional statements, no transaction: the unique run_date settles two
// first takers, the fence on locked_at_ms two takers of a stale lock.
RunLock BillingRunLockRepository::Acquire(const domain::Date& date, const std::string& holder, std::int64_t now_ms,
                                          std::int64_t lease_ms) {
  auto lease = db_.Acquire();
  soci::session& s = *lease;
  const std::string run_date = date.ToString();
  if (db_.Execute(s,
                  std::string(InsertIgnore(db_.GetDialect())) +
                      " INTO billing_run_locks(run_date, state, holder, locked_at_ms) VALUES(:d, 'RUNNING', :h, :n)",
                  {run_date, holder, now_ms}) == 1)
    return RunLock::kAcquired;
  if (db_.Execute(s,
                  "UPDATE billing_run_locks SET holder = :h, locked_at_ms = :n "
                  "WHERE run_date = :d AND state = 'RUNNING' AND locked_at_ms <= :stale",
                  {holder, now_ms, run_date, now_ms - lease_ms}) == 1)
    return RunLock::kAcquired;
  bool done = false;
  db_.Query(s, "SELECT state FROM billing_run_locks WHERE run_date = :d", {run_date},
            [&](const soci::row& r) { done = GetString(r, 0) == "DONE"; });
  return done ? RunLock::kDone : RunLock::kHeld;
}

void BillingRunLockRepository::Complete(const domain::Date& date) {
  auto lease = db_.Acquire();
  const std::string day = date.ToString();
  db_.Execute(*lease, "UPDATE billing_run_locks SET state = 'DONE' WHERE run_date = :d", {day});
}

void BillingRunLockRepository::Release(const domain::Date& date) {
  auto lease = db_.Acquire();
  const std::string day = date.ToString();
  db_.Execute(*lease, "DELETE FROM billing_run_locks WHERE run_date = :d AND state = 'RUNNING'", {day});
}

}  // namespace pillivery::storage
