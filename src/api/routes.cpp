#include "api/routes.hpp"

#include "api/auth_handlers.hpp"
#include "api/auth_middleware.hpp"
#include "api/catalog_handlers.hpp"
#include "api/operations_handlers.hpp"
#include "api/admin_handlers.hpp"
#include "api/admin_ops_handlers.hpp"
#include "api/payment_handlers.hpp"
#include "api/cart_handlers.hpp"
#include "api/image_handlers.hpp"
#include "api/internal_handlers.hpp"
#include "api/fulfilment_handlers.hpp"
#include "api/test_clock_handlers.hpp"
#include "api/order_handlers.hpp"
#include "api/review_handlers.hpp"
#include "api/subscription_handlers.hpp"
#include "api/user_handlers.hpp"
#include "api/openapi_document.hpp"
#include "infra/log.hpp"

#include <memory>

namespace pillivery::api {

std::string ItemCacheKey(std::int64_t id) { return "item:" + std::to_string(id); }

void AddRoutes(http::Router& router, ApiContext& context) {
  // Handlers live as long as the router: the router keeps the closures.
  auto catalog = std::make_shared<CatalogHandlers>(context);
  // Every route has its OpenAPI entry, keyed "METHOD /path", in src/api/openapi/operations/
  // (src/api/openapi/README.md); the OpenApiDocument test names any route without one.
  auto add = [&](const char* method, const char* pattern, http::Handler handler,
                 http::Execution execution = http::Execution::kBlocking, http::FastPath fast_path = {}) {
    // 401s get WWW-Authenticate and 429s Retry-After, whichever handler raised them.
    router.Add(method, pattern, WithAuthChallenges(std::move(handler)), execution, std::move(fast_path));
  };
  auto cached = [](auto owner, std::optional<http::Response> (std::remove_reference_t<decltype(*owner)>::*method)(
                                   http::Request&)) -> http::FastPath {
    return [owner, method](http::Request& r) { return ((*owner).*method)(r); };
  };
  constexpr auto kBlocking = http::Execution::kBlocking;
  // Waits on the payment gateway or another outside service.
  constexpr auto kGateway = http::Execution::kGateway;
  auto bind = [](auto owner, http::Response (std::remove_reference_t<decltype(*owner)>::*method)(http::Request&)) {
    return [owner, method](http::Request& r) { return ((*owner).*method)(r); };
  };

  // Cache hits (and searches the catalog index answers) are answered on the
  // I/O thread; the rest go to the worker pool.
  add("GET", "/api/items", bind(catalog, &CatalogHandlers::ListItems), kBlocking, cached(catalog, &CatalogHandlers::CachedListItems));
  add("GET", "/api/items/main", bind(catalog, &CatalogHandlers::MainPage), kBlocking, cached(catalog, &CatalogHandlers::CachedMainPage));
  add("GET", "/api/items/{id}", bind(catalog, &CatalogHandlers::ItemDetail),
      kBlocking, cached(catalog, &CatalogHandlers::CachedItemDetail));
  add("GET", "/api/categories", bind(catalog, &CatalogHandlers::Categories), kBlocking, cached(catalog, &CatalogHandlers::CachedCategories));

  auto users = std::make_shared<UserHandlers>(context);
  auto auth = std::make_shared<AuthHandlers>(context);
  // Floods of these are refused per client address and per account (429 RATE_LIMITED).
  auto limited = [&context](LimitedAction action, http::Handler handler) -> http::Handler {
    return [action, handler = std::move(handler), &context](http::Request& r) {
      context.rate_limits.CheckClient(action, r);
      if (action == LimitedAction::kLogin) context.rate_limits.CheckLoginAccount(r);
      return handler(r);
    };
  };
  add("POST", "/api/users", limited(LimitedAction::kSignUp, bind(users, &UserHandlers::SignUp)));
  add("GET", "/api/users/me", bind(users, &UserHandlers::Me));
  add("PATCH", "/api/users/me", bind(users, &UserHandlers::UpdateMe));
  add("DELETE", "/api/users/me", bind(users, &UserHandlers::WithdrawMe));
  add("GET", "/api/admin/users/{id}", bind(users, &UserHandlers::AdminGetUser));
  add("POST", "/api/auth/login", limited(LimitedAction::kLogin, bind(auth, &AuthHandlers::Login)));
  add("POST", "/api/auth/refresh", bind(auth, &AuthHandlers::Refresh));
  add("POST", "/api/auth/logout", bind(auth, &AuthHandlers::Logout));
  add("GET", "/api/auth/oauth2/{provider}", bind(auth, &AuthHandlers::OAuthStart));
  add("GET", "/api/auth/oauth2/{provider}/callback", bind(auth, &AuthHandlers::OAuthCallback), kGateway);

  // Routes of the caller's own resources resolve the principal first (401),
  // admin routes also demand the ADMIN role (403).
  using Caller = const domain::Principal&;
  auto as_user = [&context](auto owner, http::Response (std::remove_reference_t<decltype(*owner)>::*method)(
                                            http::Request&, Caller)) -> http::Handler {
    return [owner, method, &context](http::Request& r) {
      auto caller = context.authenticator.RequireUser(r);
      return ((*owner).*method)(r, caller);
    };
  };
  auto as_limited_user = [&context](LimitedAction action, auto owner,
                                    http::Response (std::remove_reference_t<decltype(*owner)>::*method)(
                                        http::Request&, Caller)) -> http::Handler {
    return [action, owner, method, &context](http::Request& r) {
      context.rate_limits.CheckClient(action, r);
      auto caller = context.authenticator.RequireUser(r);
      context.rate_limits.CheckAccount(action, caller.user_id);
      return ((*owner).*method)(r, caller);
    };
  };
  auto as_admin = [&context](auto owner, http::Response (std::remove_reference_t<decltype(*owner)>::*method)(
                                             http::Request&, Caller)) -> http::Handler {
    return [owner, method, &context](http::Request& r) {
      auto admin = context.authenticator.RequireAdmin(r);
      return ((*owner).*method)(r, admin);
    };
  };

  auto carts = std::make_shared<CartHandlers>(context.carts);
  add("GET", "/api/carts/{kind}", as_user(carts, &CartHandlers::Get));
  add("POST", "/api/carts/{kind}/items", as_user(carts, &CartHandlers::AddLine));
  add("PATCH", "/api/carts/{kind}/items/{itemId}", as_user(carts, &CartHandlers::UpdateLine));
  add("DELETE", "/api/carts/{kind}/items/{itemId}", as_user(carts, &CartHandlers::RemoveLine));

  auto orders = std::make_shared<OrderHandlers>(context.orders, context.idempotency, context.clock);
  add("POST", "/api/orders", as_limited_user(LimitedAction::kOrder, orders, &OrderHandlers::Place));
  add("GET", "/api/orders", as_user(orders, &OrderHandlers::List));
  add("GET", "/api/orders/{id}", as_user(orders, &OrderHandlers::Get));
  add("POST", "/api/orders/{id}/cancel", as_user(orders, &OrderHandlers::Cancel));

  auto pay = std::make_shared<PaymentHandlers>(context.payments, context.idempotency, context.clock,
                                               context.config.storefront_result_url);
  add("POST", "/api/orders/{id}/payment", as_limited_user(LimitedAction::kPayment, pay, &PaymentHandlers::Ready), kGateway);
  add("GET", "/api/payments/kakaopay/approve", bind(pay, &PaymentHandlers::Approve), kGateway);
  add("GET", "/api/payments/kakaopay/cancel", bind(pay, &PaymentHandlers::Cancel));
  add("GET", "/api/payments/kakaopay/fail", bind(pay, &PaymentHandlers::Fail));

  auto reviews = std::make_shared<ReviewHandlers>(context.reviews);
  add("GET", "/api/items/{id}/reviews", bind(reviews, &ReviewHandlers::List));
  add("POST", "/api/items/{id}/reviews", as_limited_user(LimitedAction::kReview, reviews, &ReviewHandlers::Create));
  add("PATCH", "/api/reviews/{id}", as_user(reviews, &ReviewHandlers::Update));
  add("DELETE", "/api/reviews/{id}", as_user(reviews, &ReviewHandlers::Delete));

  auto subs = std::make_shared<SubscriptionHandlers>(context.subscriptions);
  add("GET", "/api/subscriptions", as_user(subs, &SubscriptionHandlers::List));
  add("GET", "/api/subscriptions/{id}", as_user(subs, &SubscriptionHandlers::Get));
  add("PATCH", "/api/subscriptions/{id}", as_user(subs, &SubscriptionHandlers::Update));
  add("POST", "/api/subscriptions/{id}/skip", as_user(subs, &SubscriptionHandlers::Skip));
  add("POST", "/api/subscriptions/{id}/pause", as_user(subs, &SubscriptionHandlers::Pause));
  add("POST", "/api/subscriptions/{id}/resume", as_user(subs, &SubscriptionHandlers::Resume));
  add("POST", "/api/subscriptions/{id}/cancel", as_user(subs, &SubscriptionHandlers::Cancel));
  add("GET", "/api/subscriptions/{id}/charges", as_user(subs, &SubscriptionHandlers::Charges));

  auto admin = std::make_shared<AdminHandlers>(context.admin_catalog, context.order_repository);
  add("POST", "/api/admin/items", as_admin(admin, &AdminHandlers::CreateItem));
  add("PATCH", "/api/admin/items/{id}", as_admin(admin, &AdminHandlers::UpdateItem));
  add("DELETE", "/api/admin/items/{id}", as_admin(admin, &AdminHandlers::HideItem));
  add("GET", "/api/admin/orders", as_admin(admin, &AdminHandlers::ListOrders));
  add("GET", "/api/admin/items", as_admin(admin, &AdminHandlers::ListItems));

  auto fulfilment = std::make_shared<FulfilmentHandlers>(context.fulfilment);
  add("GET", "/api/admin/fulfilment/queue", as_admin(fulfilment, &FulfilmentHandlers::Queue));
  add("POST", "/api/admin/orders/{id}/ship", as_admin(fulfilment, &FulfilmentHandlers::Ship));
  add("POST", "/api/admin/orders/{id}/deliver", as_admin(fulfilment, &FulfilmentHandlers::Deliver));
  if (context.test_clock) {  // PILLIVERY_TEST_CLOCK=true only: otherwise the route does not exist
    auto clock = std::make_shared<TestClockHandlers>(*context.test_clock);
    add("GET", "/api/admin/test-clock", as_admin(clock, &TestClockHandlers::Read));
    add("POST", "/api/admin/test-clock", as_admin(clock, &TestClockHandlers::Advance));
  }

  auto images = std::make_shared<ImageHandlers>(context.item_images);
  add("GET", "/images/items/{file}", bind(images, &ImageHandlers::Get));
  add("PUT", "/api/admin/items/{id}/image", as_admin(images, &ImageHandlers::Upload));

  auto internal = std::make_shared<InternalHandlers>(context.billing, context.internal_networks, context.internal_token);
  add("POST", "/internal/subscriptions/{id}/charge", bind(internal, &InternalHandlers::ChargeCycle), kGateway);

  auto ops_admin =
      std::make_shared<AdminOpsHandlers>(context.payments, context.subscription_repository, context.outbox_admin,
                                         context.idempotency, context.clock);
  add("POST", "/api/admin/orders/{id}/refund", as_admin(ops_admin, &AdminOpsHandlers::Refund), kGateway);
  add("GET", "/api/admin/subscriptions", as_admin(ops_admin, &AdminOpsHandlers::Subscriptions));
  add("GET", "/api/admin/batch/runs", as_admin(ops_admin, &AdminOpsHandlers::BatchRuns));
  add("GET", "/api/admin/events/dead", as_admin(ops_admin, &AdminOpsHandlers::DeadEvents));
  add("POST", "/api/admin/events/{id}/replay", as_admin(ops_admin, &AdminOpsHandlers::ReplayEvent));

  auto ops = std::make_shared<OperationsHandlers>(context);
  router.Add("GET", "/health/live", bind(ops, &OperationsHandlers::Live), http::Execution::kInline);
  router.Add("GET", "/health/ready", bind(ops, &OperationsHandlers::Ready));
  router.Add("GET", "/metrics", bind(ops, &OperationsHandlers::Metrics));
  router.Add("GET", "/openapi.json", bind(ops, &OperationsHandlers::OpenApi), http::Execution::kInline);
  router.Add("GET", "/docs", bind(ops, &OperationsHandlers::Docs), http::Execution::kInline);
  router.Add("GET", "/docs/{asset}", bind(ops, &OperationsHandlers::DocsAsset), http::Execution::kInline);
  // A route without an entry is a test failure (OpenApiDocument test); should one ship, it is logged.
  for (const auto& gap : DocumentationGaps(router.Routes()))
    if (gap.starts_with("route ")) infra::LogWarn("openapi", {{"gap", gap}});
}

}  // namespace pillivery::api
