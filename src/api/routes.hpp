#pragma once
// The one route table of the API server (routes.cpp): one row per route with
// its method, path, Access, handler, execution pool, rate limit and fast path.
#include "api/access.hpp"
#include "api/rate_limits.hpp"
#include "domain/user.hpp"
#include "http/router.hpp"

#include <optional>
#include <span>

namespace pillivery::api {

struct Handlers;

// A handler method bound to its owner in Handlers. `present` is false when the
// owner was not built (its routes do not exist); `takes_caller` when the
// method receives the principal, which only user and admin routes have.
struct Endpoint {
  http::Response (*call)(const Handlers&, http::Request&, const domain::Principal* caller);
  bool (*present)(const Handlers&);
  bool takes_caller;
};
// A route's fast path on the I/O thread (http::FastPath): nothing on a miss.
using FastEndpoint = std::optional<http::Response> (*)(const Handlers&, http::Request&);

struct Route {
  const char* method;
  const char* pattern;
  Access access;
  Endpoint endpoint;
  http::Execution execution = http::Execution::kBlocking;
  std::optional<LimitedAction> limit = std::nullopt;  // 429s per client address (and account)
  FastEndpoint fast = nullptr;
};

// Every row, in the order they are added.
std::span<const Route> RouteTable();

// Adds every row whose handler exists: the guard admits the caller (the row's
// Access and limit) before the handler runs. Both must outlive the router.
void AddRoutes(http::Router& router, const Handlers& handlers, const AccessGuard& guard);

}  // namespace pillivery::api
