#pragma once
// The subcommands of the `pillivery` binary; app/cli.cpp maps the CLI onto them.
#include "infra/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pillivery::app {

struct ServeOptions {
  bool migrate = true;
};
int Serve(const infra::Config& config, const ServeOptions& options);
int MigrateCommand(const infra::Config& config);

struct SeedOptions {
  int items = 1000;
  unsigned long long seed = 42;
  int users = 0, orders = 0, subscriptions = 0;
};
int SeedCommand(const infra::Config& config, const SeedOptions& options);

struct ImportApiOptions {
  std::string key;
  std::string service = "C003";
  std::optional<std::string> since;  // YYYYMMDD
  std::optional<std::string> base_url;
};
int ImportApiCommand(const infra::Config& config, const ImportApiOptions& options);
int ImportFilesCommand(const infra::Config& config, const std::vector<std::string>& paths);

struct BatchRunOptions {
  std::optional<std::string> date;     // YYYY-MM-DD; today in the business zone by default
  std::optional<std::string> api_url;  // the API server(s) to charge through
  int concurrency = 16;
};
// Exit 0 when the run completed (whatever the declines), non-zero otherwise.
int BatchRunCommand(const infra::Config& config, const BatchRunOptions& options);

// Runs the CLI; returns the process exit status.
int RunCli(int argc, char** argv);

}  // namespace pillivery::app
