#pragma once
// Versioned schema migrations for both engines. Each version lives in
// storage/schema/vNNN_*.cpp; AllMigrations() lists them in order.
#include "infra/clock.hpp"
#include "storage/database.hpp"

#include <string>
#include <vector>

namespace pillivery::storage {

struct Migration {
  int version;
  std::string name;
  // Statements separated by ";\n", with the placeholders of RenderSchema. A
  // statement that starts with {{MARIADB}} runs on MariaDB only, one that
  // starts with {{SQLITE}} on SQLite only.
  std::string sql;
};

const std::vector<Migration>& AllMigrations();

// Applies every migration newer than the recorded version, each in its own
// transaction where the engine allows. Returns how many were applied.
// `clock` stamps each applied version.
int Migrate(Database& db, const infra::Clock& clock);
int CurrentSchemaVersion(Database& db);

// The individual schema versions.
Migration SchemaV001Catalog();
Migration SchemaV002Users();
Migration SchemaV003Orders();
Migration SchemaV004Outbox();
Migration SchemaV005Reviews();
Migration SchemaV006PaymentsSubscriptions();
Migration SchemaV007KeywordWalk();
Migration SchemaV008CategoryWalk();
Migration SchemaV009CatalogVersion();
Migration SchemaV010MoneyPaths();
Migration SchemaV020FulfilmentDeliveryClock();
Migration SchemaV026BillingRunLocks();
Migration SchemaV027UserOrderCounts();
Migration SchemaV028RefundsInDoubt();
Migration SchemaV029OrderRowsClustered();
Migration SchemaV030OrderReadModel();

}  // namespace pillivery::storage
