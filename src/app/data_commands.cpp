#include "app/commands.hpp"
#include "domain/error.hpp"
#include "importer/importer.hpp"
#include "importer/load_seeder.hpp"
#include "importer/seeder.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "service/accounts/password_hasher.hpp"
#include "storage/migrations.hpp"

#include <chrono>

namespace pillivery::app {

namespace {
double SecondsSince(const infra::Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(clock.Steady() - start).count();
}

boost::json::object CountsJson(const importer::ImportCounts& c) {
  return {
      {"read", c.read}, {"inserted", c.inserted}, {"updated", c.updated}, {"skipped", c.skipped}, {"pages", c.pages}};
}
}  // namespace

int SeedCommand(const infra::Config& config, const SeedOptions& options) {
  infra::SystemClock clock;
  storage::Database db(config.db_url, 1);
  storage::Migrate(db, clock);
  storage::ItemRepository items(db, clock);
  auto start = clock.Steady();
  importer::SeedOptions seed;
  seed.items = options.items;
  seed.seed = options.seed;
  std::int64_t created = importer::SeedCatalog(items, seed);
  std::int64_t priced = importer::PriceUnpricedItems(db, options.seed, clock);
  importer::LoadSeedCounts load;
  if (options.users || options.orders || options.subscriptions) {
    importer::LoadSeedOptions o;
    o.users = options.users;
    o.orders = options.orders;
    o.subscriptions = options.subscriptions;
    o.seed = options.seed;
    // One real argon2id hash shared by every seeded user: hashing 100k passwords would take an hour.
    o.password_hash = service::PasswordHasher().Hash(importer::kSeedPassword);
    auto now = clock.Now();
    o.today = infra::FormatDate(now);
    o.now_iso = infra::FormatIsoTime(now);
    load = importer::SeedLoad(db, o);
  }
  infra::LogInfo("seeded", {{"items", created},
                            {"pricedImported", priced},
                            {"users", load.users},
                            {"orders", load.orders},
                            {"subscriptions", load.subscriptions},
                            {"seconds", SecondsSince(clock, start)}});
  return 0;
}

int ImportApiCommand(const infra::Config& config, const ImportApiOptions& options) {
  infra::SystemClock clock;
  storage::Database db(config.db_url, 1);
  storage::Migrate(db, clock);
  storage::ItemRepository items(db, clock);
  importer::OpenApiOptions api;
  if (options.base_url) api.base_url = *options.base_url;
  api.key_id = options.key;
  api.service_id = options.service;
  api.changed_since = options.since;
  auto start = clock.Steady();
  auto counts = importer::ImportFromApi(api, items, importer::PrintProgress);
  importer::FinishProgress();
  auto fields = CountsJson(counts);
  fields["seconds"] = SecondsSince(clock, start);
  infra::LogInfo("imported", std::move(fields));
  return 0;
}

int ImportFilesCommand(const infra::Config& config, const std::vector<std::string>& paths) {
  infra::SystemClock clock;
  storage::Database db(config.db_url, 1);
  storage::Migrate(db, clock);
  storage::ItemRepository items(db, clock);
  std::vector<std::filesystem::path> files(paths.begin(), paths.end());
  auto counts = importer::ImportFiles(files, items, importer::PrintProgress);
  importer::FinishProgress();
  infra::LogInfo("imported", CountsJson(counts));
  return 0;
}

}  // namespace pillivery::app
