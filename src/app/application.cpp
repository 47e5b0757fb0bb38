#include "app/application.hpp"

#include "api/api_context.hpp"
#include "api/routes.hpp"
#include "http/middleware.hpp"
#include "http/server.hpp"
#include "infra/log.hpp"
#include "storage/migrations.hpp"

#include <prometheus/gauge.h>

namespace pillivery::app {

struct Application::Parts {
  infra::Config config;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  storage::Database database;
  infra::TtlCache cache;
  storage::ItemRepository items;
  service::CatalogService catalog;
  api::ApiContext context;
  http::Router router;
  std::unique_ptr<http::Server> server;

  explicit Parts(infra::Config c)
      : config(std::move(c)),
        database(config.db_url, config.db_pool_size, std::chrono::seconds(3), registry.get()),
        cache(std::chrono::seconds(config.cache_ttl_seconds), 20000, registry.get()),
        items(database),
        catalog(items),
        context{config, database, *registry, cache, catalog} {}
};

Application::Application(infra::Config config, bool migrate) : parts_(std::make_unique<Parts>(std::move(config))) {
  auto& p = *parts_;
  prometheus::BuildGauge()
      .Name("pillivery_build_info")
      .Help("Build information")
      .Register(*p.registry)
      .Add({{"version", PILLIVERY_VERSION}})
      .Set(1);
  if (migrate) storage::Migrate(p.database);
  api::AddRoutes(p.router, p.context);

  http::ServerOptions options;
  options.address = p.config.http_address;
  options.port = p.config.http_port;
  options.io_threads = p.config.io_threads;
  options.worker_threads = p.config.worker_threads;
  p.server = std::make_unique<http::Server>(
      options, p.router,
      std::vector<http::Middleware>{http::RequestIdMiddleware(), http::AccessLogMiddleware(),
                                    http::MetricsMiddleware(*p.registry), http::ProblemMiddleware(),
                                    http::GzipMiddleware()});
}

Application::~Application() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

std::uint16_t Application::Start() {
  std::uint16_t port = parts_->server->Start();
  infra::LogInfo("listening", {{"address", parts_->config.http_address}, {"port", port}, {"version", PILLIVERY_VERSION}});
  return port;
}

void Application::Stop() { parts_->server->Stop(); }

}  // namespace pillivery::app
