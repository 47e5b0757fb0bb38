#include "storage/migrations.hpp"

#include "infra/clock.hpp"
#include "infra/log.hpp"

#include <optional>
#include <set>
#include <string_view>

namespace pillivery::storage {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      SchemaV001Catalog(),
      SchemaV002Users(),
      SchemaV003Orders(),
      SchemaV004Outbox(),
      SchemaV005Reviews(),
      SchemaV006PaymentsSubscriptions(),
      SchemaV007KeywordWalk(),
      SchemaV008CategoryWalk(),
      SchemaV009CatalogVersion(),
      SchemaV010MoneyPaths(),
      SchemaV020FulfilmentDeliveryClock(),
      SchemaV026BillingRunLocks(),
      SchemaV027UserOrderCounts(),
      SchemaV028RefundsInDoubt(),
      SchemaV029OrderRowsClustered(),
      SchemaV030OrderReadModel(),
  };
  return kMigrations;
}

namespace {

std::vector<std::string> SplitStatements(const std::string& sql) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < sql.size()) {
    size_t end = sql.find(";\n", start);
    std::string stmt = sql.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (stmt.find_first_not_of(" \n\t\r") != std::string::npos) out.push_back(stmt);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

// "{{MARIADB}} <statement>" runs on MariaDB only, "{{SQLITE}} <statement>" on
// SQLite only: a layout one engine's tables do not take (a clustered key), or
// what the engines spell differently (a trigger, JSON functions).
std::optional<std::string> ForThisEngine(const std::string& stmt, Dialect dialect) {
  constexpr std::string_view kMariaDbOnly = "{{MARIADB}}";
  constexpr std::string_view kSqliteOnly = "{{SQLITE}}";
  auto start = stmt.find_first_not_of(" \n\t\r");
  if (start == std::string::npos) return stmt;
  for (auto [marker, engine] : {std::pair{kMariaDbOnly, Dialect::kMariaDb}, std::pair{kSqliteOnly, Dialect::kSqlite}}) {
    if (stmt.compare(start, marker.size(), marker) != 0) continue;
    if (dialect != engine) return std::nullopt;
    return stmt.substr(start + marker.size());
  }
  return stmt;
}

void EnsureVersionTable(soci::session& session) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INTEGER NOT NULL PRIMARY KEY,"
             " name VARCHAR(200) NOT NULL,"
             " applied_at VARCHAR(40) NOT NULL)";
}

}  // namespace

int CurrentSchemaVersion(Database& db) {
  auto lease = db.Acquire();
  EnsureVersionTable(*lease);
  int version = 0;
  soci::indicator ind;
  *lease << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

int Migrate(Database& db, const infra::Clock& clock) {
  auto lease = db.Acquire();
  soci::session& session = *lease;
  EnsureVersionTable(session);
  // MariaDB: serialise concurrent migrators across processes.
  if (db.GetDialect() == Dialect::kMariaDb) {
    int got = 0;
    session << "SELECT GET_LOCK('pillivery_migrate', 60)", soci::into(got);
  }
  int applied = 0;
  try {
    // Set-based, not "newer than the max": a version merged late still applies.
    std::set<int> done;
    soci::rowset<int> versions = (session.prepare << "SELECT version FROM schema_migrations");
    for (int v : versions) done.insert(v);
    for (const auto& migration : AllMigrations()) {
      if (done.count(migration.version)) continue;
      // DDL commits implicitly on MariaDB; SQLite runs the whole version atomically.
      Transaction tx(session, db.GetDialect());
      for (const auto& stmt : SplitStatements(RenderSchema(db.GetDialect(), migration.sql)))
        if (auto runnable = ForThisEngine(stmt, db.GetDialect())) session << *runnable;
      // soci::use binds by reference: never to a temporary.
      std::string applied_at = infra::FormatIsoTime(clock.Now());
      session << "INSERT INTO schema_migrations(version, name, applied_at) VALUES(:v, :n, :a)",
          soci::use(migration.version), soci::use(migration.name), soci::use(applied_at);
      tx.Commit();
      infra::LogInfo("migration applied", {{"version", migration.version}, {"name", migration.name}});
      ++applied;
    }
  } catch (...) {
    if (db.GetDialect() == Dialect::kMariaDb) session << "SELECT RELEASE_LOCK('pillivery_migrate')";
    throw;
  }
  if (db.GetDialect() == Dialect::kMariaDb) session << "SELECT RELEASE_LOCK('pillivery_migrate')";
  return applied;
}

}  // namespace pillivery::storage
