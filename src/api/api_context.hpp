#pragma once
// What the handlers need, built once in app/ and passed by reference.
#include "api/auth_middleware.hpp"
#include "api/rate_limits.hpp"
#include "api/readiness.hpp"
#include "infra/config.hpp"
#include "infra/ttl_cache.hpp"
#include "service/accounts/auth_service.hpp"
#include "service/catalog/admin_catalog_service.hpp"
#include "service/ordering/cart_service.hpp"
#include "service/catalog/item_image_service.hpp"
#include "service/catalog/catalog_service.hpp"
#include "service/ordering/order_service.hpp"
#include "service/catalog/review_service.hpp"
#include "events/outbox_admin.hpp"
#include "service/billing/billing_service.hpp"
#include "service/ordering/fulfilment_service.hpp"
#include "service/operations/test_clock_service.hpp"
#include "service/payments/payment_service.hpp"
#include "service/billing/subscription_service.hpp"
#include "service/catalog/view_counter.hpp"
#include "infra/cidr.hpp"
#include "storage/idempotency_repository.hpp"
#include "service/accounts/oauth_service.hpp"
#include "storage/database.hpp"

#include <prometheus/registry.h>

namespace pillivery::api {

struct ApiContext {
  const infra::Config& config;
  storage::Database& database;
  prometheus::Registry& registry;
  infra::TtlCache& cache;
  service::CatalogService& catalog;
  service::AuthService& auth;
  service::OAuthService& oauth;
  Authenticator& authenticator;  // RequireUser / RequireAdmin for every handler
  const infra::Clock& clock;
  service::CartService& carts;
  service::OrderService& orders;
  service::ReviewService& reviews;
  service::AdminCatalogService& admin_catalog;
  storage::OrderRepository& order_repository;
  storage::IdempotencyRepository& idempotency;
  service::SubscriptionService& subscriptions;
  storage::SubscriptionRepository& subscription_repository;
  service::BillingService& billing;
  const infra::NetworkList& internal_networks;
  const std::string& internal_token;
  service::PaymentService& payments;
  events::OutboxAdmin& outbox_admin;
  service::ViewCounter& views;  // Record() is memory-only: fine on the I/O thread
  service::FulfilmentService& fulfilment;
  service::TestClockService* test_clock;  // nullptr unless PILLIVERY_TEST_CLOCK=true: no route then
  RateLimits& rate_limits;      // 429s on sign-up, login, order, payment and review POSTs
  const infra::NetworkList& metrics_networks;  // who may read /metrics without config.metrics_token
  const Readiness& readiness;   // GET /health/ready: Redis, draining
  service::ItemImageService& item_images;
};

}  // namespace pillivery::api
