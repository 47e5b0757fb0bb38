#pragma once
// Shared secrets every server of one database must agree on.
#include "storage/database.hpp"

#include <optional>
#include <string>

namespace pillivery::app {

// The configured value, or one made on first start and kept where every server
// of this database finds it: beside an SQLite file (<db>.<name>), in the
// database itself (app_secrets) for MariaDB.
std::string ResolveSecret(const std::optional<std::string>& configured, const std::string& name,
                          storage::Database& database);

}  // namespace pillivery::app
