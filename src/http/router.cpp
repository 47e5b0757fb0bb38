#include "http/router.hpp"

#include "http/middleware.hpp"

#include <algorithm>

namespace pillivery::http {

namespace {

// "/a/b/" → {"a", "b", ""}: the trailing empty segment is kept so that
// "/api/items/" and "/api/items" stay distinct routes.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsParam(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// Literal segments are worth more than params, earlier segments more than later
// ones, so /api/items/main beats /api/items/{id} and /a/b/{x} beats /a/{y}/c.
bool MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool a_param = IsParam(a[i]);
    bool b_param = IsParam(b[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

void AddUnique(std::vector<std::string>& methods, const std::string& method) {
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    methods.push_back(method);
  }
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler, Execution execution, FastPath fast_path) {
  Route route;
  route.method = std::move(method);
  for (auto segment : SplitPath(pattern)) route.segments.emplace_back(segment);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  route.execution = execution;
  route.fast_path = std::move(fast_path);
  routes_.push_back(std::move(route));
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& route : routes_) out.emplace_back(route.method, route.pattern);
  return out;
}

void Router::SetFallback(std::string route, Handler handler, Execution execution) {
  Route fallback;
  fallback.method = "GET";
  fallback.pattern = std::move(route);
  fallback.handler = std::move(handler);
  fallback.execution = execution;
  fallback_ = std::move(fallback);
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  auto segments = SplitPath(path);
  if (segments.empty()) return match;

  const Route* best = nullptr;
  const Route* best_get = nullptr;  // HEAD falls back to GET
  std::vector<std::string> allowed;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      matches = IsParam(route.segments[i]) ? !segments[i].empty() : route.segments[i] == segments[i];
    }
    if (!matches) continue;
    AddUnique(allowed, route.method);
    if (route.method == "GET") AddUnique(allowed, "HEAD");
    if (route.method == method) {
      if (!best || MoreSpecific(route.segments, best->segments)) best = &route;
    } else if (method == "HEAD" && route.method == "GET") {
      if (!best_get || MoreSpecific(route.segments, best_get->segments)) best_get = &route;
    }
  }
  if (!best) best = best_get;
  if (!best && allowed.empty() && fallback_ && (method == "GET" || method == "HEAD")) {
    match.handler = &fallback_->handler;
    match.execution = fallback_->execution;
    match.route = fallback_->pattern;
    match.path_known = true;
    match.allowed_methods = {"GET", "HEAD"};
    return match;
  }
  if (!best) {
    match.path_known = !allowed.empty();
    match.allowed_methods = std::move(allowed);
    return match;
  }
  match.handler = &best->handler;
  if (best->fast_path) match.fast_path = &best->fast_path;
  match.execution = best->execution;
  match.route = best->pattern;
  match.path_known = true;
  match.allowed_methods = std::move(allowed);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& segment = best->segments[i];
    if (IsParam(segment)) {
      match.params.emplace_back(segment.substr(1, segment.size() - 2), std::string(segments[i]));
    }
  }
  return match;
}

Response Router::Dispatch(Request& request) const {
  if (request.prepared) {
    auto response = std::move(*request.prepared);
    request.prepared.reset();
    return response;
  }
  if (request.handler) return (*request.handler)(request);
  auto match = Find(request.method, request.path);
  if (match.handler) {
    request.route = match.route;
    request.path_params = std::move(match.params);
    return (*match.handler)(request);
  }
  if (request.route.empty()) request.route = "unmatched";
  if (match.path_known) {
    auto response =
        ProblemResponse(405, "METHOD_NOT_ALLOWED", "The method " + request.method + " is not allowed here.");
    std::string allow;
    for (const auto& method : match.allowed_methods) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    response.SetHeader("Allow", std::move(allow));
    return response;
  }
  return ProblemResponse(404, "ROUTE_NOT_FOUND", "No route matches this path.");
}

}  // namespace pillivery::http
