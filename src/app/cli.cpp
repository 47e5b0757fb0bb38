#include "api/openapi_document.hpp"
#include "app/commands.hpp"
#include "domain/error.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace pillivery::app {

int RunCli(int argc, char** argv) {
  CLI::App cli{"Pillivery: a subscription store for Korean health functional foods"};
  cli.require_subcommand(1);
  std::optional<std::string> config_path;
  cli.add_option("--config", config_path, "TOML settings file (PILLIVERY_* variables win)");
  // `pillivery serve --config FILE` (the documented form) as well as
  // `pillivery --config FILE serve`: a subcommand hands the options it does not
  // know to the main command. Set before the subcommands are added: they inherit it.
  cli.fallthrough();

  ServeOptions serve;
  bool no_migrate = false;
  auto* serve_cmd = cli.add_subcommand("serve", "Run the API server");
  serve_cmd->add_flag("--no-migrate", no_migrate, "Do not migrate the database on start");

  auto* migrate_cmd = cli.add_subcommand("migrate", "Apply database migrations");

  SeedOptions seed;
  auto* seed_cmd = cli.add_subcommand("seed", "Generate deterministic demo/load-test data");
  seed_cmd->add_option("--items", seed.items, "Number of items")->check(CLI::Range(0, 10'000'000));
  seed_cmd->add_option("--seed", seed.seed, "Random seed");
  seed_cmd->add_option("--users", seed.users)->check(CLI::Range(0, 10'000'000));
  seed_cmd->add_option("--orders", seed.orders)->check(CLI::Range(0, 10'000'000));
  seed_cmd->add_option("--subscriptions", seed.subscriptions)->check(CLI::Range(0, 10'000'000));

  auto* import_cmd = cli.add_subcommand("import", "Import the public health-food catalog");
  import_cmd->require_subcommand(1);
  ImportApiOptions api_options;
  auto* api_cmd = import_cmd->add_subcommand("foodsafetykorea", "From the 식품안전나라 Open API");
  api_cmd->add_option("--key", api_options.key, "API key ('sample' for the first 5 rows)")->required();
  api_cmd->add_option("--service", api_options.service)->check(CLI::IsMember({"I0030", "C003"}));
  api_cmd->add_option("--since", api_options.since, "Only rows changed since YYYYMMDD");
  api_cmd->add_option("--base-url", api_options.base_url, "API base (tests point it at a fake)");
  std::vector<std::string> files;
  auto* file_cmd = import_cmd->add_subcommand("file", "From saved API answers");
  file_cmd->add_option("paths", files)->required()->check(CLI::ExistingFile);

  BatchRunOptions batch_options;
  auto* batch_cmd = cli.add_subcommand("batch", "The billing job");
  batch_cmd->require_subcommand(1);
  auto* batch_run_cmd = batch_cmd->add_subcommand("run", "Charge every subscription cycle due on a date");
  batch_run_cmd->add_option("--date", batch_options.date, "YYYY-MM-DD (default: today in the business zone)");
  batch_run_cmd->add_option("--api-url", batch_options.api_url, "API server base URL (default: this config's port)");
  batch_run_cmd->add_option("--concurrency", batch_options.concurrency, "Charges in flight")->check(CLI::Range(1, 512));

  auto* openapi_cmd = cli.add_subcommand("openapi", "Print the OpenAPI 3.1 document (what GET /openapi.json serves)");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  if (*openapi_cmd) {  // needs no settings: the document is compiled in
    try {
      std::cout << api::OpenApiJson() << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }
  try {
    infra::Config config = infra::LoadConfig(config_path, infra::ProcessEnvironment());
    infra::InitLogging(infra::ParseLogLevel(config.log_level));
    infra::SetProcessTimeZone(config.timezone);
    if (*serve_cmd) {
      serve.migrate = !no_migrate;
      return Serve(config, serve);
    }
    if (*migrate_cmd) return MigrateCommand(config);
    if (*seed_cmd) return SeedCommand(config, seed);
    if (*api_cmd) return ImportApiCommand(config, api_options);
    if (*file_cmd) return ImportFilesCommand(config, files);
    if (*batch_run_cmd) return BatchRunCommand(config, batch_options);
  } catch (const domain::Error& e) {
    infra::LogError("command failed", {{"code", e.Code()}, {"detail", e.Detail()}});
    std::cerr << "error: " << e.Code() << ": " << e.Detail() << "\n";
    return 2;
  } catch (const std::exception& e) {
    infra::LogError("command failed", {{"detail", e.what()}});
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace pillivery::app
