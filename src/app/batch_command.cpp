#include "app/commands.hpp"
#include "app/secrets.hpp"
#include "batch/batch_runner.hpp"
#include "batch/http_charge_cycles.hpp"
#include "domain/error.hpp"
#include "infra/business_clock.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "storage/business_clock_repository.hpp"
#include "storage/migrations.hpp"

namespace pillivery::app {

int BatchRunCommand(const infra::Config& config, const BatchRunOptions& options) {
  infra::SystemClock system_clock;
  storage::Database db(config.db_url, 2);
  storage::Migrate(db, system_clock);
  storage::SubscriptionRepository subscriptions(db);
  batch::BatchOptions batch;
  // "Today" follows the test clock when it is on (its offset is in the database).
  storage::BusinessClockRepository offsets(db);
  infra::BusinessClock clock(system_clock, config.test_clock ? infra::BusinessClock::OffsetReader([&offsets] {
                               return std::optional(std::chrono::milliseconds(offsets.OffsetMs()));
                             })
                                                             : infra::BusinessClock::OffsetReader{});
  clock.Sync();
  std::string date_text = options.date.value_or(infra::FormatDate(clock.Now()));
  auto date = domain::Date::Parse(date_text);
  if (!date) throw domain::Error::Validation({{"--date", "must be a date YYYY-MM-DD"}});
  batch.date = *date;
  batch.concurrency = options.concurrency;
  // The batch host charges through the API servers (the production topology);
  // serve's own scheduler charges in process instead.
  batch::HttpChargeCycles charges({options.api_url.value_or("http://127.0.0.1:" + std::to_string(config.http_port)),
                                   ResolveSecret(config.internal_token, "internal-token", db)});
  auto result = batch::RunBilling(subscriptions, charges, clock, batch);
  return result.completed ? 0 : 3;
}

}  // namespace pillivery::app
