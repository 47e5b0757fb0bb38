#include "api/routes.hpp"

#include "api/auth_handlers.hpp"
#include "api/auth_middleware.hpp"
#include "api/catalog_handlers.hpp"
#include "api/operations_handlers.hpp"
#include "api/admin_handlers.hpp"
#include "api/admin_ops_handlers.hpp"
#include "api/payment_handlers.hpp"
#include "api/cart_handlers.hpp"
#include "api/internal_handlers.hpp"
#include "api/order_handlers.hpp"
#include "api/review_handlers.hpp"
#include "api/subscription_handlers.hpp"
#include "api/user_handlers.hpp"

#include <memory>

namespace pillivery::api {

std::string ItemCacheKey(std::int64_t id) { return "item:" + std::to_string(id); }

void AddRoutes(http::Router& router, ApiContext& context) {
  // Handlers live as long as the router: the router keeps the closures.
  auto catalog = std::make_shared<CatalogHandlers>(context);
  std::vector<RouteDoc> docs;
  auto add = [&](const char* method, const char* pattern, const char* tag, const char* summary, bool auth,
                 http::Handler handler, http::Execution execution = http::Execution::kBlocking,
                 http::FastPath fast_path = {}) {
    docs.push_back({method, pattern, tag, summary, auth});
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
  add("GET", "/api/items", "catalog",
      "Search items (keyword, category, brand, minPrice, maxPrice, onSale, sort, page, size; facets=true adds "
      "counts per category, brand (top 20) and price band)",
      false,
      bind(catalog, &CatalogHandlers::ListItems), kBlocking, cached(catalog, &CatalogHandlers::CachedListItems));
  add("GET", "/api/items/main", "catalog", "Best sellers and top discounts", false,
      bind(catalog, &CatalogHandlers::MainPage), kBlocking, cached(catalog, &CatalogHandlers::CachedMainPage));
  add("GET", "/api/items/{id}", "catalog", "Item detail", false, bind(catalog, &CatalogHandlers::ItemDetail),
      kBlocking, cached(catalog, &CatalogHandlers::CachedItemDetail));
  add("GET", "/api/categories", "catalog", "Categories with item counts", false,
      bind(catalog, &CatalogHandlers::Categories), kBlocking, cached(catalog, &CatalogHandlers::CachedCategories));

  auto users = std::make_shared<UserHandlers>(context);
  auto auth = std::make_shared<AuthHandlers>(context);
  add("POST", "/api/users", "users", "Sign up", false, bind(users, &UserHandlers::SignUp));
  add("GET", "/api/users/me", "users", "The caller's profile", true, bind(users, &UserHandlers::Me));
  add("PATCH", "/api/users/me", "users", "Update the profile (a new password needs currentPassword)", true,
      bind(users, &UserHandlers::UpdateMe));
  add("DELETE", "/api/users/me", "users", "Withdraw (password if the account has one)", true,
      bind(users, &UserHandlers::WithdrawMe));
  add("GET", "/api/admin/users/{id}", "admin", "A user's profile (ADMIN)", true,
      bind(users, &UserHandlers::AdminGetUser));
  add("POST", "/api/auth/login", "auth", "Log in with email and password: access and refresh tokens", false,
      bind(auth, &AuthHandlers::Login));
  add("POST", "/api/auth/refresh", "auth", "Rotate a refresh token for a new token pair", false,
      bind(auth, &AuthHandlers::Refresh));
  add("POST", "/api/auth/logout", "auth", "Revoke the access token and its session", true,
      bind(auth, &AuthHandlers::Logout));
  add("GET", "/api/auth/oauth2/{provider}", "auth", "Start Kakao/Google sign-in (302 to the provider)", false,
      bind(auth, &AuthHandlers::OAuthStart));
  add("GET", "/api/auth/oauth2/{provider}/callback", "auth", "Finish Kakao/Google sign-in: token pair", false,
      bind(auth, &AuthHandlers::OAuthCallback), kGateway);

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
  auto as_admin = [&context](auto owner, http::Response (std::remove_reference_t<decltype(*owner)>::*method)(
                                             http::Request&, Caller)) -> http::Handler {
    return [owner, method, &context](http::Request& r) {
      auto admin = context.authenticator.RequireAdmin(r);
      return ((*owner).*method)(r, admin);
    };
  };

  auto carts = std::make_shared<CartHandlers>(context.carts);
  add("GET", "/api/carts/{kind}", "carts", "The caller's normal or subscription cart with derived totals", true,
      as_user(carts, &CartHandlers::Get));
  add("POST", "/api/carts/{kind}/items", "carts", "Add an item (adds to its quantity, capped at 99)", true,
      as_user(carts, &CartHandlers::AddLine));
  add("PATCH", "/api/carts/{kind}/items/{itemId}", "carts", "Change quantity and/or period of a line", true,
      as_user(carts, &CartHandlers::UpdateLine));
  add("DELETE", "/api/carts/{kind}/items/{itemId}", "carts", "Remove a line", true,
      as_user(carts, &CartHandlers::RemoveLine));

  auto orders = std::make_shared<OrderHandlers>(context.orders, context.idempotency, context.clock);
  add("POST", "/api/orders", "orders", "Place an order from the cart or lines; stock reserved (Idempotency-Key)", true,
      as_user(orders, &OrderHandlers::Place));
  add("GET", "/api/orders", "orders", "The caller's orders, newest first (status, page, size)", true,
      as_user(orders, &OrderHandlers::List));
  add("GET", "/api/orders/{id}", "orders", "Order detail with lines, receiver, totals and status history", true,
      as_user(orders, &OrderHandlers::Get));
  add("POST", "/api/orders/{id}/cancel", "orders", "Cancel an unpaid order (stock released)", true,
      as_user(orders, &OrderHandlers::Cancel));

  auto pay = std::make_shared<PaymentHandlers>(context.payments, context.idempotency, context.clock,
                                               context.config.storefront_result_url);
  add("POST", "/api/orders/{id}/payment", "payments", "KakaoPay ready: tid and redirect URLs (Idempotency-Key)", true,
      as_user(pay, &PaymentHandlers::Ready), kGateway);
  add("GET", "/api/payments/kakaopay/approve", "payments",
      "KakaoPay approval redirect (orderId, pg_token): order PAID; 302 or JSON", false,
      bind(pay, &PaymentHandlers::Approve), kGateway);
  add("GET", "/api/payments/kakaopay/cancel", "payments", "KakaoPay quit redirect: attempt recorded", false,
      bind(pay, &PaymentHandlers::Cancel));
  add("GET", "/api/payments/kakaopay/fail", "payments", "KakaoPay failure redirect: attempt recorded", false,
      bind(pay, &PaymentHandlers::Fail));

  auto reviews = std::make_shared<ReviewHandlers>(context.reviews);
  add("GET", "/api/items/{id}/reviews", "reviews", "Reviews of an item (sort NEWEST, OLDEST, STAR_DESC, STAR_ASC)",
      false, bind(reviews, &ReviewHandlers::List));
  add("POST", "/api/items/{id}/reviews", "reviews", "Review a purchased item (once per order line)", true,
      as_user(reviews, &ReviewHandlers::Create));
  add("PATCH", "/api/reviews/{id}", "reviews", "Edit the caller's review", true,
      as_user(reviews, &ReviewHandlers::Update));
  add("DELETE", "/api/reviews/{id}", "reviews", "Delete the caller's review", true,
      as_user(reviews, &ReviewHandlers::Delete));

  auto subs = std::make_shared<SubscriptionHandlers>(context.subscriptions);
  add("GET", "/api/subscriptions", "subscriptions", "The caller's subscriptions (status, page, size)", true,
      as_user(subs, &SubscriptionHandlers::List));
  add("GET", "/api/subscriptions/{id}", "subscriptions", "Subscription with the upcoming amount at current prices",
      true, as_user(subs, &SubscriptionHandlers::Get));
  add("PATCH", "/api/subscriptions/{id}", "subscriptions", "Change period and/or quantity (next date recomputed)",
      true, as_user(subs, &SubscriptionHandlers::Update));
  add("POST", "/api/subscriptions/{id}/skip", "subscriptions", "Move the next payment one period later", true,
      as_user(subs, &SubscriptionHandlers::Skip));
  add("POST", "/api/subscriptions/{id}/pause", "subscriptions", "Pause", true, as_user(subs, &SubscriptionHandlers::Pause));
  add("POST", "/api/subscriptions/{id}/resume", "subscriptions", "Resume", true,
      as_user(subs, &SubscriptionHandlers::Resume));
  add("POST", "/api/subscriptions/{id}/cancel", "subscriptions", "Cancel; the SID is inactivated at the gateway", true,
      as_user(subs, &SubscriptionHandlers::Cancel));
  add("GET", "/api/subscriptions/{id}/charges", "subscriptions", "Charge history", true,
      as_user(subs, &SubscriptionHandlers::Charges));

  auto admin = std::make_shared<AdminHandlers>(context.admin_catalog, context.order_repository);
  add("POST", "/api/admin/items", "admin", "Create an item (ADMIN)", true, as_admin(admin, &AdminHandlers::CreateItem));
  add("PATCH", "/api/admin/items/{id}", "admin", "Update price, discount, stock, status, images, text (ADMIN)", true,
      as_admin(admin, &AdminHandlers::UpdateItem));
  add("DELETE", "/api/admin/items/{id}", "admin", "Hide an item (ADMIN)", true,
      as_admin(admin, &AdminHandlers::HideItem));
  add("GET", "/api/admin/orders", "admin", "Every order, filter by status (ADMIN)", true,
      as_admin(admin, &AdminHandlers::ListOrders));

  auto internal = std::make_shared<InternalHandlers>(context.billing, context.internal_networks, context.internal_token);
  add("POST", "/internal/subscriptions/{id}/charge", "internal",
      "Charge one subscription cycle (internal networks and service token only)", false,
      bind(internal, &InternalHandlers::ChargeCycle), kGateway);

  auto ops_admin =
      std::make_shared<AdminOpsHandlers>(context.payments, context.subscription_repository, context.outbox_admin);
  add("POST", "/api/admin/orders/{id}/refund", "admin", "Refund through the gateway, partial allowed (ADMIN)", true,
      as_admin(ops_admin, &AdminOpsHandlers::Refund), kGateway);
  add("GET", "/api/admin/subscriptions", "admin", "Every subscription, filter by status and dueOn (ADMIN)", true,
      as_admin(ops_admin, &AdminOpsHandlers::Subscriptions));
  add("GET", "/api/admin/batch/runs", "admin", "Billing job runs with counts per outcome (ADMIN)", true,
      as_admin(ops_admin, &AdminOpsHandlers::BatchRuns));
  add("GET", "/api/admin/events/dead", "admin", "Dead-letter events (ADMIN)", true,
      as_admin(ops_admin, &AdminOpsHandlers::DeadEvents));
  add("POST", "/api/admin/events/{id}/replay", "admin", "Replay a dead-letter event (ADMIN)", true,
      as_admin(ops_admin, &AdminOpsHandlers::ReplayEvent));

  // Operations last, so the document they serve lists every route above.
  docs.push_back({"GET", "/health/live", "operations", "Liveness", false});
  docs.push_back({"GET", "/health/ready", "operations", "Readiness (database)", false});
  docs.push_back({"GET", "/metrics", "operations", "Prometheus metrics", false});
  docs.push_back({"GET", "/openapi.json", "operations", "This document", false});
  docs.push_back({"GET", "/docs", "operations", "API documentation", false});
  auto ops = std::make_shared<OperationsHandlers>(context, docs);
  router.Add("GET", "/health/live", bind(ops, &OperationsHandlers::Live), http::Execution::kInline);
  router.Add("GET", "/health/ready", bind(ops, &OperationsHandlers::Ready));
  router.Add("GET", "/metrics", bind(ops, &OperationsHandlers::Metrics));
  router.Add("GET", "/openapi.json", bind(ops, &OperationsHandlers::OpenApi), http::Execution::kInline);
  router.Add("GET", "/docs", bind(ops, &OperationsHandlers::Docs), http::Execution::kInline);
}

}  // namespace pillivery::api
