#include "api/routes.hpp"

#include "api/handlers.hpp"
#include "api/openapi_document.hpp"
#include "infra/log.hpp"

#include <stdexcept>
#include <type_traits>

namespace pillivery::api {

namespace {

using domain::Principal;
using http::Request;
using http::Response;

template <class C>
C* OwnerIn(const Handlers& h) {
  if constexpr (std::is_same_v<C, CatalogHandlers>)
    return h.catalog.get();
  else if constexpr (std::is_same_v<C, UserHandlers>)
    return h.users.get();
  else if constexpr (std::is_same_v<C, AuthHandlers>)
    return h.auth.get();
  else if constexpr (std::is_same_v<C, CartHandlers>)
    return h.carts.get();
  else if constexpr (std::is_same_v<C, OrderHandlers>)
    return h.orders.get();
  else if constexpr (std::is_same_v<C, PaymentHandlers>)
    return h.payments.get();
  else if constexpr (std::is_same_v<C, ReviewHandlers>)
    return h.reviews.get();
  else if constexpr (std::is_same_v<C, SubscriptionHandlers>)
    return h.subscriptions.get();
  else if constexpr (std::is_same_v<C, AdminHandlers>)
    return h.admin.get();
  else if constexpr (std::is_same_v<C, FulfilmentHandlers>)
    return h.fulfilment.get();
  else if constexpr (std::is_same_v<C, TestClockHandlers>)
    return h.test_clock.get();
  else if constexpr (std::is_same_v<C, ImageHandlers>)
    return h.images.get();
  else if constexpr (std::is_same_v<C, InternalHandlers>)
    return h.internal.get();
  else if constexpr (std::is_same_v<C, AdminOpsHandlers>)
    return h.admin_ops.get();
  else if constexpr (std::is_same_v<C, OperationsHandlers>)
    return h.operations.get();
  else
    static_assert(sizeof(C) == 0, "a handler class missing from api::Handlers");
}

template <class M>
struct MethodOf;
template <class C>
struct MethodOf<Response (C::*)(Request&)> {
  using Owner = C;
  static constexpr bool kTakesCaller = false;
};
template <class C>
struct MethodOf<Response (C::*)(Request&, const Principal&)> {
  using Owner = C;
  static constexpr bool kTakesCaller = true;
};
template <class C>
struct MethodOf<std::optional<Response> (C::*)(Request&)> {
  using Owner = C;
};

// To<&CartHandlers::Get>(): the row's handler, called on its owner in Handlers.
template <auto kMethod>
constexpr Endpoint To() {
  using Method = MethodOf<decltype(kMethod)>;
  using Owner = typename Method::Owner;
  return Endpoint{[](const Handlers& h, Request& r, const Principal* caller) -> Response {
                    if constexpr (Method::kTakesCaller)
                      return (OwnerIn<Owner>(h)->*kMethod)(r, *caller);
                    else
                      return (OwnerIn<Owner>(h)->*kMethod)(r);
                  },
                  [](const Handlers& h) { return OwnerIn<Owner>(h) != nullptr; }, Method::kTakesCaller};
}

template <auto kMethod>
constexpr FastEndpoint Fast() {
  using Owner = typename MethodOf<decltype(kMethod)>::Owner;
  return [](const Handlers& h, Request& r) { return (OwnerIn<Owner>(h)->*kMethod)(r); };
}

constexpr auto kPublic = Access::kPublic;
constexpr auto kUser = Access::kUser;
constexpr auto kAdmin = Access::kAdmin;
constexpr auto kInternal = Access::kInternal;
constexpr auto kBlocking = http::Execution::kBlocking;
constexpr auto kInline = http::Execution::kInline;    // cheap, never blocks: on the I/O thread
constexpr auto kGateway = http::Execution::kGateway;  // waits on the payment gateway or another outside service

// Every route has its OpenAPI entry, keyed "METHOD /path", in src/api/openapi/operations/
// (src/api/openapi/README.md); the OpenApiDocument test names any route without one. The
// entry's security comes from the row's Access.
constexpr Route kRoutes[] = {
    // Cache hits (and searches the catalog index answers) are answered on the
    // I/O thread; the rest go to the worker pool.
    {"GET",
     "/api/items",
     kPublic,
     To<&CatalogHandlers::ListItems>(),
     kBlocking,
     {},
     Fast<&CatalogHandlers::CachedListItems>()},
    {"GET",
     "/api/items/main",
     kPublic,
     To<&CatalogHandlers::MainPage>(),
     kBlocking,
     {},
     Fast<&CatalogHandlers::CachedMainPage>()},
    {"GET",
     "/api/items/{id}",
     kPublic,
     To<&CatalogHandlers::ItemDetail>(),
     kBlocking,
     {},
     Fast<&CatalogHandlers::CachedItemDetail>()},
    {"GET",
     "/api/categories",
     kPublic,
     To<&CatalogHandlers::Categories>(),
     kBlocking,
     {},
     Fast<&CatalogHandlers::CachedCategories>()},

    {"POST", "/api/users", kPublic, To<&UserHandlers::SignUp>(), kBlocking, LimitedAction::kSignUp},
    {"GET", "/api/users/me", kUser, To<&UserHandlers::Me>()},
    {"PATCH", "/api/users/me", kUser, To<&UserHandlers::UpdateMe>()},
    {"DELETE", "/api/users/me", kUser, To<&UserHandlers::WithdrawMe>()},
    {"GET", "/api/admin/users/{id}", kAdmin, To<&UserHandlers::AdminGetUser>()},
    {"POST", "/api/auth/login", kPublic, To<&AuthHandlers::Login>(), kBlocking, LimitedAction::kLogin},
    {"POST", "/api/auth/refresh", kPublic, To<&AuthHandlers::Refresh>()},
    {"POST", "/api/auth/logout", kUser, To<&AuthHandlers::Logout>()},
    {"GET", "/api/auth/oauth2/{provider}", kPublic, To<&AuthHandlers::OAuthStart>()},
    {"GET", "/api/auth/oauth2/{provider}/callback", kPublic, To<&AuthHandlers::OAuthCallback>(), kGateway},

    {"GET", "/api/carts/{kind}", kUser, To<&CartHandlers::Get>()},
    {"POST", "/api/carts/{kind}/items", kUser, To<&CartHandlers::AddLine>()},
    {"PATCH", "/api/carts/{kind}/items/{itemId}", kUser, To<&CartHandlers::UpdateLine>()},
    {"DELETE", "/api/carts/{kind}/items/{itemId}", kUser, To<&CartHandlers::RemoveLine>()},

    {"POST", "/api/orders", kUser, To<&OrderHandlers::Place>(), kBlocking, LimitedAction::kOrder},
    {"GET", "/api/orders", kUser, To<&OrderHandlers::List>()},
    {"GET", "/api/orders/{id}", kUser, To<&OrderHandlers::Get>()},
    {"POST", "/api/orders/{id}/cancel", kUser, To<&OrderHandlers::Cancel>()},

    {"POST", "/api/orders/{id}/payment", kUser, To<&PaymentHandlers::Ready>(), kGateway, LimitedAction::kPayment},
    {"GET", "/api/payments/kakaopay/approve", kPublic, To<&PaymentHandlers::Approve>(), kGateway},
    {"GET", "/api/payments/kakaopay/cancel", kPublic, To<&PaymentHandlers::Cancel>()},
    {"GET", "/api/payments/kakaopay/fail", kPublic, To<&PaymentHandlers::Fail>()},

    {"GET", "/api/items/{id}/reviews", kPublic, To<&ReviewHandlers::List>()},
    {"POST", "/api/items/{id}/reviews", kUser, To<&ReviewHandlers::Create>(), kBlocking, LimitedAction::kReview},
    {"PATCH", "/api/reviews/{id}", kUser, To<&ReviewHandlers::Update>()},
    {"DELETE", "/api/reviews/{id}", kUser, To<&ReviewHandlers::Delete>()},

    {"GET", "/api/subscriptions", kUser, To<&SubscriptionHandlers::List>()},
    {"GET", "/api/subscriptions/{id}", kUser, To<&SubscriptionHandlers::Get>()},
    {"PATCH", "/api/subscriptions/{id}", kUser, To<&SubscriptionHandlers::Update>()},
    {"POST", "/api/subscriptions/{id}/skip", kUser, To<&SubscriptionHandlers::Skip>()},
    {"POST", "/api/subscriptions/{id}/pause", kUser, To<&SubscriptionHandlers::Pause>()},
    {"POST", "/api/subscriptions/{id}/resume", kUser, To<&SubscriptionHandlers::Resume>()},
    {"POST", "/api/subscriptions/{id}/cancel", kUser, To<&SubscriptionHandlers::Cancel>()},
    {"GET", "/api/subscriptions/{id}/charges", kUser, To<&SubscriptionHandlers::Charges>()},

    {"POST", "/api/admin/items", kAdmin, To<&AdminHandlers::CreateItem>()},
    {"PATCH", "/api/admin/items/{id}", kAdmin, To<&AdminHandlers::UpdateItem>()},
    {"DELETE", "/api/admin/items/{id}", kAdmin, To<&AdminHandlers::HideItem>()},
    {"GET", "/api/admin/orders", kAdmin, To<&AdminHandlers::ListOrders>()},
    {"GET", "/api/admin/items", kAdmin, To<&AdminHandlers::ListItems>()},

    {"GET", "/api/admin/fulfilment/queue", kAdmin, To<&FulfilmentHandlers::Queue>()},
    {"POST", "/api/admin/orders/{id}/ship", kAdmin, To<&FulfilmentHandlers::Ship>()},
    {"POST", "/api/admin/orders/{id}/deliver", kAdmin, To<&FulfilmentHandlers::Deliver>()},
    // PILLIVERY_TEST_CLOCK=true only: otherwise Handlers::test_clock is null and these do not exist.
    {"GET", "/api/admin/test-clock", kAdmin, To<&TestClockHandlers::Read>()},
    {"POST", "/api/admin/test-clock", kAdmin, To<&TestClockHandlers::Advance>()},

    {"GET", "/images/items/{file}", kPublic, To<&ImageHandlers::Get>()},
    {"PUT", "/api/admin/items/{id}/image", kAdmin, To<&ImageHandlers::Upload>()},

    {"POST", "/internal/subscriptions/{id}/charge", kInternal, To<&InternalHandlers::ChargeCycle>(), kGateway},

    {"POST", "/api/admin/orders/{id}/refund", kAdmin, To<&AdminOpsHandlers::Refund>(), kGateway},
    {"GET", "/api/admin/subscriptions", kAdmin, To<&AdminOpsHandlers::Subscriptions>()},
    {"GET", "/api/admin/batch/runs", kAdmin, To<&AdminOpsHandlers::BatchRuns>()},
    {"GET", "/api/admin/events/dead", kAdmin, To<&AdminOpsHandlers::DeadEvents>()},
    {"POST", "/api/admin/events/{id}/replay", kAdmin, To<&AdminOpsHandlers::ReplayEvent>()},

    {"GET", "/health/live", kPublic, To<&OperationsHandlers::Live>(), kInline},
    {"GET", "/health/ready", kPublic, To<&OperationsHandlers::Ready>()},
    // Public to the route table: the handler admits the operators' networks or the metrics token.
    {"GET", "/metrics", kPublic, To<&OperationsHandlers::Metrics>()},
    {"GET", "/openapi.json", kPublic, To<&OperationsHandlers::OpenApi>(), kInline},
    {"GET", "/docs", kPublic, To<&OperationsHandlers::Docs>(), kInline},
    {"GET", "/docs/{asset}", kPublic, To<&OperationsHandlers::DocsAsset>(), kInline},
};

}  // namespace

std::span<const Route> RouteTable() { return kRoutes; }

void AddRoutes(http::Router& router, const Handlers& handlers, const AccessGuard& guard) {
  for (const Route& route : kRoutes) {
    if (!route.endpoint.present(handlers)) continue;
    const bool named = route.access == Access::kUser || route.access == Access::kAdmin;
    if (route.endpoint.takes_caller != named)
      throw std::logic_error(std::string("route ") + route.method + " " + route.pattern +
                             ": a handler takes the caller exactly when its Access is user or admin");
    const Route* row = &route;
    http::FastPath fast;
    if (row->fast) fast = [row, &handlers](Request& r) { return row->fast(handlers, r); };
    router.Add(
        row->method, row->pattern,
        [row, &handlers, &guard](Request& r) {
          auto caller = guard.Admit(row->access, row->limit, r);
          return row->endpoint.call(handlers, r, caller ? &*caller : nullptr);
        },
        row->execution, std::move(fast));
  }
  // A route without an entry is a test failure (OpenApiDocument test); should one ship, it is logged.
  for (const auto& gap : DocumentationGaps(router.Routes()))
    if (gap.starts_with("route ")) infra::LogWarn("openapi", {{"gap", gap}});
}

}  // namespace pillivery::api
