#pragma once
// Reading a request off the wire, shared by the connection loop and
// ParseRequest: the parser's limits, the header rules checked before any body,
// the status a failed read answers and the Request built from Beast's message.
// Internal to http/: it names Beast types, so only http's .cpp files include it.
#include "http/message.hpp"
#include "http/server.hpp"

#include <boost/beast.hpp>

#include <cstddef>
#include <optional>
#include <string_view>

namespace pillivery::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Parser = bhttp::request_parser<bhttp::string_body>;
using BeastRequest = bhttp::request<bhttp::string_body>;

// The header limit, and the largest body any route takes.
void ConfigureParser(Parser& parser, const ServerOptions& options);

// The largest flat_buffer a session needs.
std::size_t BufferLimit(const ServerOptions& options);

// The body limit of a request whose header has been read.
std::size_t BodyLimitFor(const ServerOptions& options, const bhttp::request_header<>& header);

// The status a failed read answers; 0: nothing to answer (closed, timed out).
int StatusForReadError(const beast::error_code& ec);

// The problem answered for a status StatusForReadError gave (400, 413, 431).
Response EdgeProblem(int status);

// Spaces and tabs off both ends of one item of a header's list.
std::string_view Trim(std::string_view text);

// A 400 for what Beast accepts but a request must not be served with; nullopt
// when the header may be served.
std::optional<Response> HeaderViolation(const bhttp::request_header<>& header);

// Fills everything but peer_address; false when the target is not origin-form.
bool BuildRequest(BeastRequest&& message, Request& request);

}  // namespace pillivery::http
