#include "app/application.hpp"

#include "http/static_files.hpp"

#include "app/billing_scheduler.hpp"
#include "app/idempotency_purger.hpp"
#include "app/order_expiry_sweeper.hpp"
#include "app/secrets.hpp"
#include "batch/in_process_charge_cycles.hpp"
#include "storage/connection_errors.hpp"

#include "api/access.hpp"
#include "api/handlers.hpp"
#include "api/routes.hpp"
#include "events/outbox_admin.hpp"
#include "events/outbox_processor.hpp"
#include "events/outbox_writer.hpp"
#include "http/middleware.hpp"
#include "http/server.hpp"
#include "infra/business_clock.hpp"
#include "infra/log.hpp"
#include "infra/periodic_task.hpp"
#include "infra/redis_broadcast.hpp"
#include "infra/redis_client.hpp"
#include "payment/kakaopay_client.hpp"
#include "payment/resilient_gateway.hpp"
#include "service/accounts/secure_random.hpp"
#include "service/catalog/catalog_cache.hpp"
#include "service/catalog/view_counter.hpp"
#include "service/limits/rate_limiter.hpp"
#include "service/operations/test_clock_service.hpp"
#include "service/ordering/fulfilment_service.hpp"
#include "service/payments/payment_service.hpp"
#include "service/reactions/event_handlers.hpp"
#include "storage/business_clock_repository.hpp"
#include "storage/migrations.hpp"
#include "storage/payment_repository.hpp"

#include <fcntl.h>
#include <prometheus/gauge.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace pillivery::app {

namespace {

std::shared_ptr<payment::Gateway> KakaoPay(const infra::Config& config) {
  payment::KakaoPayClientOptions options;
  options.base_url = config.kakaopay_base_url;
  options.secret_key = config.kakaopay_secret_key;
  return std::make_shared<payment::KakaoPayClient>(options);
}

payment::ResilienceSettings Resilience(const infra::Config& config) {
  payment::ResilienceSettings settings;  // kakaopay.md, but the bulkhead sized to the gateway pool
  settings.max_concurrent_calls = config.payment_max_concurrent_calls;
  return settings;
}

std::vector<service::OAuthProvider> OAuthProviders(const infra::Config& c) {
  std::vector<service::OAuthProvider> providers;
  if (c.kakao_client_id)
    providers.push_back({"kakao", *c.kakao_client_id, c.kakao_client_secret, c.kakao_authorize_url, c.kakao_token_url,
                         c.kakao_userinfo_url, "account_email profile_nickname", false});
  if (c.google_client_id)
    providers.push_back({"google", *c.google_client_id, c.google_client_secret, c.google_authorize_url,
                         c.google_token_url, c.google_userinfo_url, "openid email profile", true});
  return providers;
}

}  // namespace

struct Application::Parts {
  infra::Config config;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::shared_ptr<infra::Clock> clock;  // real time: tokens, throttling, the outbox, the gateway's breaker, row stamps
  storage::Database database;
  bool migrated;  // before anything reads the schema (the JWT secret may live in it)
  infra::TtlCache cache;
  storage::ItemRepository items;
  service::CatalogService catalog;
  service::CatalogCache catalog_cache;  // every cached catalog view: keys, reads, invalidation
  storage::BusinessClockRepository business_clock_offsets;
  // "now" and "today" of the business rules: `clock`, plus the test clock's
  // shared offset when PILLIVERY_TEST_CLOCK=true (infra/business_clock.hpp).
  infra::BusinessClock business_clock;
  events::OutboxWriter outbox;
  service::EventSink events;
  service::PasswordHasher hasher;
  storage::UserRepository users;
  storage::DatabaseTokenStore tokens;
  service::LoginThrottle throttle;
  service::JwtCodec jwt;
  service::AuthService auth;
  service::OAuthService oauth;
  api::Authenticator authenticator;
  storage::CartRepository cart_repository;
  storage::OrderRepository order_repository;
  storage::ReviewRepository review_repository;
  storage::IdempotencyRepository idempotency;
  service::Checkout checkout;
  service::CartService carts;
  service::OrderService orders;
  service::ReviewService reviews;
  service::AdminCatalogService admin_catalog;
  service::ItemImageService item_images;
  storage::SubscriptionRepository subscription_repository;
  service::SubscriptionService subscriptions;
  payment::ResilientGateway gateway;
  service::BillingService billing;
  storage::PaymentRepository payment_repository;
  service::PaymentService payments;
  service::Notifier notifier;
  events::OutboxProcessor outbox_processor;
  events::OutboxAdmin outbox_admin;
  std::unique_ptr<infra::RedisClient> redis;  // several servers only (redis.url set)
  service::ViewCounter views;
  infra::NetworkList internal_networks;
  std::string internal_token;
  service::FulfilmentService fulfilment;
  std::unique_ptr<service::TestClockService> test_clock;  // PILLIVERY_TEST_CLOCK=true only
  service::RateLimiter limiter;
  api::RateLimits rate_limits;
  infra::NetworkList metrics_networks;
  api::Readiness readiness;
  api::AccessGuard access_guard;  // enforces each route's Access (api/routes.cpp)
  api::Handlers handlers;
  OrderExpirySweeper sweeper;
  IdempotencyPurger idempotency_purger;
  storage::BillingRunLockRepository billing_run_locks;
  batch::InProcessChargeCycles in_process_charges;  // single node: no HTTP loop back into this process
  BillingScheduler scheduler;
  infra::PeriodicTask clock_refresh;  // started only with the test clock on
  http::Router router;
  std::unique_ptr<http::Server> server;

  Parts(infra::Config c, bool migrate, const ApplicationOverrides& overrides)
      : config(std::move(c)),
        clock(overrides.clock ? overrides.clock : std::make_shared<infra::SystemClock>()),
        database(config.db_url, config.db_pool_size, std::chrono::seconds(3), registry.get()),
        migrated(migrate && storage::Migrate(database, *clock) >= 0),
        cache(std::chrono::seconds(config.cache_ttl_seconds), 20000, registry.get()),
        items(database, *clock),
        catalog(items, &cache, std::chrono::seconds(60),
                config.catalog_index ? std::optional<service::CatalogIndexOptions>(service::CatalogIndexOptions{
                                           std::chrono::milliseconds(config.catalog_index_poll_ms),
                                           std::chrono::seconds(config.catalog_index_stats_seconds), registry.get()})
                                     : std::nullopt,
                [this](const std::vector<std::int64_t>& ids) { catalog_cache.FeedBrought(ids); }),
        catalog_cache(cache, catalog),
        business_clock_offsets(database),
        business_clock(*clock, config.test_clock ? infra::BusinessClock::OffsetReader([this] { return ReadOffset(); })
                                                 : infra::BusinessClock::OffsetReader{}),
        outbox(*clock),
        events(outbox.AsSink()),
        hasher(overrides.cheap_password_hashing ? service::kTestPasswordCost : service::kDefaultPasswordCost),
        users(database, *clock),
        tokens(database),
        throttle(tokens, *clock),
        jwt(ResolveSecret(config.jwt_secret, "jwt-secret", database), *clock,
            std::chrono::minutes(config.access_token_minutes)),
        auth(database, users, tokens, hasher, jwt, throttle, *clock, std::chrono::hours(24) * config.refresh_token_days,
             std::chrono::milliseconds(config.principal_cache_ms)),
        oauth(OAuthProviders(config), config.PublicBaseUrl(), auth, users, tokens, *clock),
        authenticator(auth),
        cart_repository(database, *clock),
        order_repository(database),
        review_repository(database),
        idempotency(database),
        checkout(database, order_repository),
        carts(cart_repository, items),
        orders(
            order_repository, checkout, cart_repository, business_clock,
            std::chrono::minutes(config.order_expiry_minutes),
            [this](const std::vector<std::int64_t>& ids) {
              for (auto id : ids) catalog_cache.StockChanged(id);
            },
            domain::OpenOrderLimits{config.order_max_open_unpaid, config.order_max_open_quantity_per_item},
            std::chrono::minutes(config.order_abandoned_payment_minutes)),
        reviews(review_repository, items, *clock, [this](std::int64_t id) { catalog_cache.ItemChanged(id); }),
        admin_catalog(items, [this](std::int64_t id) { catalog_cache.ItemChanged(id); }),
        item_images(items, admin_catalog, config.image_dir),
        subscription_repository(database),
        subscriptions(database, subscription_repository, business_clock, events),
        gateway(KakaoPay(config), Resilience(config), *clock, *registry),
        billing(database, subscription_repository, gateway, business_clock, outbox.AsBatchSink(), registry.get()),
        payment_repository(database),
        payments(database, order_repository, payment_repository, subscription_repository, subscriptions, gateway,
                 business_clock, events,
                 service::PaymentSettings{"TC0ONETIME", "TCSUBSCRIP", config.PublicBaseUrl(),
                                          config.payment_approve_attempts}),
        notifier(config.notification_webhook_url),
        outbox_processor(database, *clock, events::ProcessorOptions{}, registry.get()),
        outbox_admin(database, *clock),
        redis(config.redis_url
                  ? std::make_unique<infra::RedisClient>(
                        infra::RedisOptions{infra::RedisEndpoint::Parse(*config.redis_url),
                                            std::chrono::milliseconds(500), std::chrono::seconds(1), "pillivery"},
                        4, std::chrono::seconds(1), registry.get())
                  : nullptr),
        views(items, *clock, redis.get(),
              service::ViewCounterOptions{std::chrono::seconds(config.views_flush_seconds),
                                          static_cast<std::size_t>(config.views_max_pending), config.redis_prefix},
              registry.get()),
        internal_networks(infra::NetworkList::Parse(config.internal_networks)),
        internal_token(ResolveSecret(config.internal_token, "internal-token", database)),
        fulfilment(database, order_repository, business_clock, events),
        test_clock(config.test_clock
                       ? std::make_unique<service::TestClockService>(business_clock_offsets, business_clock)
                       : nullptr),
        limiter(*clock, redis.get(), config.redis_prefix),
        rate_limits(config, limiter),
        metrics_networks(infra::NetworkList::Parse(config.metrics_networks)),
        readiness(redis.get()),
        access_guard(authenticator, rate_limits, internal_networks, internal_token),
        handlers(BuildHandlers()),
        sweeper(orders),
        idempotency_purger(idempotency, *clock, std::chrono::hours(config.idempotency_retention_hours)),
        billing_run_locks(database),
        in_process_charges(billing),
        scheduler(subscription_repository, billing_run_locks, in_process_charges, business_clock, config.billing_time),
        // Another process may move the test clock: its offset is re-read every second.
        clock_refresh("test clock refresh", std::chrono::seconds(1), infra::PeriodicTask::FirstTick::kAtStart,
                      [this] { business_clock.Sync(); }) {}

  std::optional<std::chrono::milliseconds> ReadOffset() {
    try {
      return std::chrono::milliseconds(business_clock_offsets.OffsetMs());
    } catch (const std::exception& e) {
      infra::LogWarn("test clock offset unreadable; keeping the last one", {{"error", e.what()}});
      return std::nullopt;
    }
  }

  // Several servers: cache invalidations reach the others through Redis
  // (created in the Application constructor; declared last so it stops first).
  std::unique_ptr<infra::RedisBroadcast> broadcast;

  // A message of the broadcast; this server's own come back too, harmlessly.
  void OnBroadcast(const std::string& message) {
    if (auth.Forget(message)) return;  // a revocation (session, token, user)
    catalog_cache.Received(message);
  }

  // Each handler class gets only what it uses.
  api::Handlers BuildHandlers() {
    api::Handlers h;
    h.catalog = std::make_shared<api::CatalogHandlers>(catalog, catalog_cache, views, auth);
    h.users = std::make_shared<api::UserHandlers>(auth);
    h.auth = std::make_shared<api::AuthHandlers>(auth, oauth, config.PublicBaseUrl().starts_with("https://"));
    h.carts = std::make_shared<api::CartHandlers>(carts);
    h.orders = std::make_shared<api::OrderHandlers>(orders, idempotency, *clock);
    h.payments = std::make_shared<api::PaymentHandlers>(payments, idempotency, *clock, config.storefront_result_url);
    h.reviews = std::make_shared<api::ReviewHandlers>(reviews);
    h.subscriptions = std::make_shared<api::SubscriptionHandlers>(subscriptions);
    h.admin = std::make_shared<api::AdminHandlers>(admin_catalog, order_repository);
    h.fulfilment = std::make_shared<api::FulfilmentHandlers>(fulfilment);
    if (test_clock) h.test_clock = std::make_shared<api::TestClockHandlers>(*test_clock);
    h.images = std::make_shared<api::ImageHandlers>(item_images);
    h.internal = std::make_shared<api::InternalHandlers>(billing);
    h.admin_ops =
        std::make_shared<api::AdminOpsHandlers>(payments, subscription_repository, outbox_admin, idempotency, *clock);
    h.operations = std::make_shared<api::OperationsHandlers>(database, readiness, *registry, metrics_networks,
                                                             config.metrics_token);
    return h;
  }
};

Application::Application(infra::Config config, bool migrate, const ApplicationOverrides& overrides)
    : parts_(std::make_unique<Parts>(std::move(config), migrate, overrides)) {
  auto& p = *parts_;
  prometheus::BuildGauge()
      .Name("pillivery_build_info")
      .Help("Build information")
      .Register(*p.registry)
      .Add({{"version", PILLIVERY_VERSION}})
      .Set(1);
  p.payments.OnAbandoned([&p](std::int64_t order) { p.orders.PaymentAbandoned(order); });
  p.orders.OnCancelPaid([&p](std::int64_t user, std::int64_t order) { return p.payments.CancelPaid(user, order); });
  service::RegisterEventHandlers(p.outbox_processor, p.gateway, p.notifier);
  p.outbox_processor.HandleExternal(service::kEventApprovalResolve, "approval-resolve", [&p](const events::Event& e) {
    std::optional<std::int64_t> payment_id;
    if (auto* id = e.payload.if_contains("paymentId")) payment_id = id->to_number<std::int64_t>();
    p.payments.ResolveApproval(e.payload.at("orderId").to_number<std::int64_t>(), payment_id);
  });
  p.outbox_processor.HandleExternal(service::kEventRefundSettle, "refund-settle", [&p](const events::Event& e) {
    p.payments.SettleRefund(e.payload.at("paymentId").to_number<std::int64_t>());
  });
  // Withdrawal ends the user's subscriptions in its own transaction (SIDs through the outbox).
  p.auth.InWithdrawal(
      [&p](storage::UnitOfWork& work, std::int64_t user_id) { p.subscriptions.EndAllOf(work, user_id); });
  if (p.redis)
    p.broadcast = std::make_unique<infra::RedisBroadcast>(
        *p.redis, p.config.redis_prefix + "cache", [&p](const std::string& m) { p.OnBroadcast(m); },
        [&p] {  // (re)subscribed: messages may have been missed
          p.catalog_cache.Resubscribed();
          p.auth.ForgetAllPrincipals();
        });
  if (p.broadcast) p.catalog_cache.SetPublisher([&p](const std::string& m) { p.broadcast->Publish(m); });
  // Logout, withdrawal and refresh-token reuse reach every server's principal
  // cache at once, not after its TTL (issues #13, #14).
  if (p.broadcast) p.auth.OnRevoked([&p](const std::string& what) { p.broadcast->Publish(what); });
  if (p.config.admin_email && p.config.admin_password)
    p.auth.EnsureAdmin(*p.config.admin_email, *p.config.admin_password);
  api::AddRoutes(p.router, p.handlers, p.access_guard);
  if (p.config.web_root) {
    // The web app: its files, and index.html for its client routes (/items/3,
    // /payment/result, ...); API-like paths keep their 404 problems.
    auto files = std::make_shared<http::StaticFiles>(
        *p.config.web_root,
        std::vector<std::string>{"/api", "/internal", "/health", "/metrics", "/docs", "/openapi.json", "/images"});
    p.router.SetFallback("static", [files](http::Request& r) { return files->Serve(r); });
  }

  http::ServerOptions options;
  options.address = p.config.http_address;
  options.port = p.config.http_port;
  options.io_threads = p.config.io_threads;
  // By engine: 2 per core on SQLite (CPU-bound; more threads only switch); 4
  // per core on MariaDB, whose statements wait on the network (bench/orders:
  // 8 threads instead of 32 took ~17% off the server's CPU per order read).
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.worker_threads = p.config.worker_threads > 0                            ? p.config.worker_threads
                           : p.database.GetDialect() == storage::Dialect::kSqlite ? 2 * cores
                                                                                  : 4 * cores;
  options.gateway_threads = p.config.gateway_threads;
  options.trusted_proxies = infra::NetworkList::Parse(p.config.trusted_proxies);
  options.read_timeout = std::chrono::milliseconds(std::max(100, p.config.http_read_timeout_ms));
  // The whole stop (drain, then in-flight requests) stays within 10 s.
  options.shutdown_grace = std::chrono::seconds(10 - std::clamp(p.config.drain_seconds, 0, 8));
  // Item image uploads are raw bodies of up to 2 MiB (service::kMaxItemImageBytes);
  // every other request keeps the 1 MiB limit.
  options.large_bodies.push_back({"PUT", "/api/admin/items/", "/image", service::kMaxItemImageBytes + 64 * 1024});
  p.server = std::make_unique<http::Server>(
      options, p.router,
      std::vector<http::Middleware>{
          http::RequestIdMiddleware(), http::AccessLogMiddleware(), http::MetricsMiddleware(*p.registry),
          http::ProblemMiddleware(storage::TransientDatabaseError, api::kBearerChallenge), http::GzipMiddleware()});
}

Application::~Application() {
  if (parts_) parts_->catalog.StopIndex();
  if (parts_) parts_->views.Stop();
  if (parts_ && parts_->broadcast) parts_->broadcast->Stop();
  if (parts_) parts_->scheduler.Stop();
  if (parts_) parts_->clock_refresh.Stop();
  if (parts_) parts_->sweeper.Stop();
  if (parts_) parts_->idempotency_purger.Stop();
  if (parts_) parts_->outbox_processor.Stop();
  if (parts_ && parts_->server) parts_->server->Stop();
}

std::vector<std::pair<std::string, std::string>> Application::Routes() const { return parts_->router.Routes(); }

std::uint16_t Application::Start() {
  if (parts_->config.test_clock) {
    parts_->business_clock.Sync();
    parts_->clock_refresh.Start();
    infra::LogWarn("test clock on: an admin can move the business clock (never in production)",
                   {{"offsetMs", static_cast<std::int64_t>(parts_->business_clock.Offset().count())}});
  }
  std::uint16_t port = parts_->server->Start();
  parts_->catalog.WarmKeywordIndex();
  parts_->catalog.StartIndex();
  parts_->sweeper.Start();
  parts_->idempotency_purger.Start();
  parts_->outbox_processor.Start();
  parts_->views.Start();
  if (parts_->broadcast && !parts_->broadcast->Start())
    infra::LogWarn("redis subscription not ready yet; cached reads rely on the cache TTL until it is");
  if (parts_->config.billing_scheduler) parts_->scheduler.Start();
  infra::LogInfo("listening",
                 {{"address", parts_->config.http_address}, {"port", port}, {"version", PILLIVERY_VERSION}});
  return port;
}

std::int64_t Application::FlushViews() { return parts_->views.Flush(); }

void Application::BeginDrain() {
  parts_->readiness.BeginDrain();
  parts_->server->BeginDrain();
}

void Application::Stop() {
  parts_->catalog.StopIndex();
  parts_->views.Stop();
  if (parts_->broadcast) parts_->broadcast->Stop();
  parts_->scheduler.Stop();
  parts_->clock_refresh.Stop();
  parts_->sweeper.Stop();
  parts_->idempotency_purger.Stop();
  parts_->outbox_processor.Stop();
  parts_->server->Stop();
}

}  // namespace pillivery::app
