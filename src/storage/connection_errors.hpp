#pragma once
// Which driver exceptions are transient: the database is not reachable
// (MariaDB gone away, connection refused or lost: 503 DATABASE_UNAVAILABLE),
// or the transaction was rolled back as a deadlock's victim or timed out
// waiting for a lock (503 DATABASE_BUSY). Either way nothing was kept and the
// client may retry; they become 503 problems instead of 500s. The HTTP layer asks through the translator the
// app wires into http::ProblemMiddleware, so no SOCI type leaves storage.
#include "domain/error.hpp"

#include <exception>
#include <optional>

namespace pillivery::storage {

std::optional<domain::Error> TransientDatabaseError(const std::exception& error);

// MariaDB chose the transaction as a deadlock's victim and rolled all of it
// back (ER_LOCK_DEADLOCK): nothing was kept, so the caller may run it again.
// A lock wait timeout is not one (only its statement was rolled back).
bool IsDeadlockVictim(const std::exception& error);

}  // namespace pillivery::storage
