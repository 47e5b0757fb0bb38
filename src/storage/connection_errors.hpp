#pragma once
// Which driver exceptions mean "the database is not reachable" (MariaDB gone
// away, connection refused or lost): they become 503 DATABASE_UNAVAILABLE
// problems instead of 500s. The HTTP layer asks through the translator the
// app wires into http::ProblemMiddleware, so no SOCI type leaves storage.
#include "domain/error.hpp"

#include <exception>
#include <optional>

namespace pillivery::storage {

std::optional<domain::Error> DatabaseUnreachable(const std::exception& error);

}  // namespace pillivery::storage
