#pragma once
// One route table: every route is added in api/routes.cpp (and the
// simulator's), so `grep Add(` lists the whole surface.
#include "http/message.hpp"

#include <string>
#include <vector>

namespace pillivery::http {

enum class Execution {
  kBlocking,  // may touch the database or the gateway: runs on the worker pool
  kInline,    // cheap and non-blocking: runs on the I/O thread
};

class Router {
 public:
  // pattern: "/api/items/{id}"; a segment "{name}" captures one path segment.
  void Add(std::string method, std::string pattern, Handler handler,
           Execution execution = Execution::kBlocking);

  struct Match {
    const Handler* handler = nullptr;
    Execution execution = Execution::kBlocking;
    std::string route;  // the matched pattern
    std::vector<std::pair<std::string, std::string>> params;
    bool path_known = false;  // path matched but not the method (405)
    std::vector<std::string> allowed_methods;
  };
  Match Find(std::string_view method, std::string_view path) const;

  // Dispatches a request: 404/405 problems when nothing matches.
  Response Dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Execution execution;
  };
  std::vector<Route> routes_;
};

}  // namespace pillivery::http
