#include "api/routes.hpp"

#include "api/auth_handlers.hpp"
#include "api/auth_middleware.hpp"
#include "api/catalog_handlers.hpp"
#include "api/operations_handlers.hpp"
#include "api/user_handlers.hpp"

#include <memory>

namespace pillivery::api {

std::string ItemCacheKey(std::int64_t id) { return "item:" + std::to_string(id); }

void AddRoutes(http::Router& router, ApiContext& context) {
  // Handlers live as long as the router: the router keeps the closures.
  auto catalog = std::make_shared<CatalogHandlers>(context);
  std::vector<RouteDoc> docs;
  auto add = [&](const char* method, const char* pattern, const char* tag, const char* summary, bool auth,
                 http::Handler handler, http::Execution execution = http::Execution::kBlocking) {
    docs.push_back({method, pattern, tag, summary, auth});
    // 401s get WWW-Authenticate and 429s Retry-After, whichever handler raised them.
    router.Add(method, pattern, WithAuthChallenges(std::move(handler)), execution);
  };
  auto bind = [](auto owner, http::Response (std::remove_reference_t<decltype(*owner)>::*method)(http::Request&)) {
    return [owner, method](http::Request& r) { return ((*owner).*method)(r); };
  };

  add("GET", "/api/items", "catalog", "Search items (keyword, category, brand, price, onSale, sort, paging)", false,
      bind(catalog, &CatalogHandlers::ListItems));
  add("GET", "/api/items/main", "catalog", "Best sellers and top discounts", false,
      bind(catalog, &CatalogHandlers::MainPage));
  add("GET", "/api/items/{id}", "catalog", "Item detail", false, bind(catalog, &CatalogHandlers::ItemDetail));
  add("GET", "/api/categories", "catalog", "Categories with item counts", false,
      bind(catalog, &CatalogHandlers::Categories));

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
      bind(auth, &AuthHandlers::OAuthCallback));

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
