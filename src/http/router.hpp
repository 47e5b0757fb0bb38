#pragma once
// One route table: every route is added in api/routes.cpp (and the
// simulator's, simulator/route_table.cpp), so `grep Add(` lists the whole surface.
#include "http/message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pillivery::http {

enum class Execution {
  kBlocking,  // may touch the database or the gateway: runs on the worker pool
  kInline,    // cheap and non-blocking: runs on the I/O thread
  kGateway,   // waits on the payment gateway: runs on its own, larger pool, so
              // slow gateway answers never starve database-bound requests
};

class Router {
 public:
  // pattern: "/api/items/{id}"; a segment "{name}" captures one path segment.
  // fast_path: tried first on the I/O thread; when it answers, the handler
  // does not run (the middleware chain still does).
  void Add(std::string method, std::string pattern, Handler handler, Execution execution = Execution::kBlocking,
           FastPath fast_path = {});
  // Answers GET and HEAD requests whose path no route knows (e.g. the web
  // app's files and client routes), labelled `route` in logs and metrics.
  void SetFallback(std::string route, Handler handler, Execution execution = Execution::kBlocking);

  struct Match {
    const Handler* handler = nullptr;
    const FastPath* fast_path = nullptr;  // nullptr: the route has none
    Execution execution = Execution::kBlocking;
    std::string route;  // the matched pattern
    std::vector<std::pair<std::string, std::string>> params;
    bool path_known = false;  // path matched but not the method (405)
    std::vector<std::string> allowed_methods;
  };
  Match Find(std::string_view method, std::string_view path) const;
  // (method, pattern) of every route, in the order added.
  std::vector<std::pair<std::string, std::string>> Routes() const;

  // Dispatches a request: 404/405 problems when nothing matches. When the
  // server already matched it (request.handler), that match is used as is.
  Response Dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Execution execution;
    FastPath fast_path;
  };
  std::vector<Route> routes_;
  std::optional<Route> fallback_;
};

}  // namespace pillivery::http
