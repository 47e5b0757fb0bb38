#pragma once
// The daily billing run's lock (billing_run_locks, one row per business date):
// one date runs once even with several processes (serve's schedulers on
// several nodes, or a scheduler and a restart of itself). Its own table, not
// the HTTP idempotency records: those are purged after their retention and
// mean "the same request again", which a run is not.
#include "domain/date.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <string>

namespace pillivery::storage {

enum class RunLock {
  kAcquired,  // this caller runs the date
  kHeld,      // another holder runs it now (within its lease)
  kDone,      // the date's run completed
};

class BillingRunLockRepository {
 public:
  explicit BillingRunLockRepository(Database& db) : db_(db) {}

  // Takes the date's lock unless its run completed or another holder took it
  // less than `lease_ms` ago; a holder that died is taken over after its lease.
  RunLock Acquire(const domain::Date& date, const std::string& holder, std::int64_t now_ms, std::int64_t lease_ms);
  // The date's run completed: it never runs again.
  void Complete(const domain::Date& date);
  // The run stopped short: a later tick (or another process) may finish the date.
  void Release(const domain::Date& date);

 private:
  Database& db_;
};

}  // namespace pillivery::storage
