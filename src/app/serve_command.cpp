#include "app/application.hpp"
#include "app/commands.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "storage/migrations.hpp"

#include <csignal>

namespace pillivery::app {

int MigrateCommand(const infra::Config& config) {
  infra::SystemClock clock;
  storage::Database db(config.db_url, 1);
  int applied = storage::Migrate(db, clock);
  infra::LogInfo("migrated", {{"applied", applied}, {"version", storage::CurrentSchemaVersion(db)}});
  return 0;
}

int Serve(const infra::Config& config, const ServeOptions& options) {
  // Block the stop signals before any thread starts so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Application application(config, options.migrate);
  application.Start();
  int signal = 0;
  sigwait(&stop_signals, &signal);
  // Drain first: readiness answers 503 and answers close their connections
  // while requests are still served; a second signal cuts the wait short.
  infra::LogInfo("draining", {{"signal", signal}, {"seconds", config.drain_seconds}});
  application.BeginDrain();
  if (config.drain_seconds > 0) {
    timespec drain{config.drain_seconds, 0};
    if (sigtimedwait(&stop_signals, nullptr, &drain) > 0) infra::LogInfo("second stop signal: not draining longer");
  }
  infra::LogInfo("stopping", {{"signal", signal}});
  application.Stop();
  infra::LogInfo("stopped");
  return 0;
}

}  // namespace pillivery::app
