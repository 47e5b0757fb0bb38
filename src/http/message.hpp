#pragma once
// The plain request/response the rest of the code sees. Only server.cpp
// touches Beast; handlers and middleware work on these.
#include <boost/json/value.hpp>

#include <any>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pillivery::http {

using Header = std::pair<std::string, std::string>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<Header> headers;
  std::string body;
  // Reset the connection (SO_LINGER 0) instead of answering; the rest of the
  // response is not sent. Lets a gateway simulator play a vanished peer.
  bool abort_connection = false;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> HeaderValue(std::string_view name) const;

  static Response Json(int status, const boost::json::value& value);
  // {"data": value}
  static Response Data(int status, const boost::json::value& value);
  static Response Text(int status, std::string body, std::string content_type);
  static Response NoContent();
  static Response Redirect(std::string location);
};

struct Request {
  std::string method;                                      // upper case, e.g. "GET"
  std::string target;                                      // raw request target, e.g. "/api/items?page=2"
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<Header> headers;                             // names as received
  std::string body;
  std::string peer_address;  // remote IP as text
  // Who the client is: the peer, or behind a trusted proxy the right-most
  // untrusted X-Forwarded-For hop (ServerOptions::trusted_proxies). Every
  // per-client decision (throttles, rate limits, network checks) uses this.
  std::string client_address;
  // Filled in by the router and the middleware chain.
  std::vector<std::pair<std::string, std::string>> path_params;
  std::string route;       // matched route template, "unmatched" otherwise
  std::string request_id;  // X-Request-Id echoed or generated
  // Set by the server before the chain runs, so the route is matched once:
  // the matched handler (nullptr: the router answers 404/405), and the answer
  // the route's inline fast path already produced on the I/O thread, if any.
  const std::function<Response(Request&)>* handler = nullptr;
  std::optional<Response> prepared;
  // A fast path that does not answer may ask the server to wait this long
  // before the handler runs (on a timer: no thread is held), and leave the
  // handler what it worked out, e.g. a decision that must be made only once.
  std::chrono::milliseconds delay{0};
  std::any route_state;

  // Case-insensitive header lookup.
  std::optional<std::string_view> HeaderValue(std::string_view name) const;
  // First value of a query parameter.
  std::optional<std::string_view> QueryValue(std::string_view name) const;
  std::optional<std::string_view> PathParam(std::string_view name) const;
};

using Handler = std::function<Response(Request&)>;
// A route's optional inline answer (e.g. a cache hit): runs on the I/O thread,
// must not block, and returns nothing to let the route's handler run as usual
// (after request.delay, if it set one).
using FastPath = std::function<std::optional<Response>(Request&)>;
// A middleware wraps the next step of the chain.
using Middleware = std::function<Response(Request&, const Handler& next)>;

bool IEquals(std::string_view a, std::string_view b);

}  // namespace pillivery::http
