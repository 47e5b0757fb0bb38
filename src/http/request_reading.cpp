#include "http/request_reading.hpp"

#include "http/middleware.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>

namespace pillivery::http {

namespace {

namespace asio = boost::asio;

std::size_t LargestBodyLimit(const ServerOptions& options) {
  auto body = options.body_limit;
  for (const auto& large : options.large_bodies) body = std::max(body, large.limit);
  return body;
}

// Headers that must appear at most once: a proxy in front and this server
// could otherwise each believe a different copy (RFC 9110 §5.3).
constexpr std::array<std::string_view, 7> kSingleValuedHeaders = {
    "Host", "Content-Length", "Content-Type", "Authorization", "X-Internal-Token", "Idempotency-Key", "X-Request-Id"};

}  // namespace

// The parser admits the largest body any route takes; once the header is read
// the request's own limit replaces it (BodyLimitFor).
void ConfigureParser(Parser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.header_limit, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(static_cast<std::uint64_t>(LargestBodyLimit(options)));
}

// The largest flat_buffer a session needs: a header, a body and some pipelined
// bytes. Bounds memory per connection whatever the client sends.
std::size_t BufferLimit(const ServerOptions& options) {
  constexpr std::size_t kSlack = 64 * 1024;
  auto body = LargestBodyLimit(options);
  auto max = std::numeric_limits<std::size_t>::max();
  if (body > max - options.header_limit - kSlack) return max;
  return options.header_limit + body + kSlack;
}

// The body limit of a request whose header has been read: body_limit unless a
// LargeBody entry names its method and path.
std::size_t BodyLimitFor(const ServerOptions& options, const bhttp::request_header<>& header) {
  auto target = std::string_view(header.target().data(), header.target().size());
  target = target.substr(0, target.find('?'));
  auto method = std::string_view(header.method_string().data(), header.method_string().size());
  for (const auto& large : options.large_bodies) {
    if (method == large.method && target.size() > large.path_prefix.size() + large.path_suffix.size() &&
        target.starts_with(large.path_prefix) && target.ends_with(large.path_suffix))
      return large.limit;
  }
  return options.body_limit;
}

// The status a failed read answers; 0: nothing to answer (closed, timed out).
int StatusForReadError(const beast::error_code& ec) {
  static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_target).category();
  if (ec.category() != http_category) return 0;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == bhttp::error::short_read) {
    return 0;
  }
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow) return 413;
  return 400;
}

Response EdgeProblem(int status) {
  switch (status) {
    case 413:
      return ProblemResponse(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    case 431:
      return ProblemResponse(431, "HEADERS_TOO_LARGE", "The request headers are too large.");
    default:
      return ProblemResponse(400, "MALFORMED_REQUEST", "The request is not valid HTTP/1.1.");
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// What Beast accepts but a request must not be served with (RFC 9112 §3.2,
// §6.1, §6.3): a Transfer-Encoding whose last coding is not chunked (its body
// length is unknowable, so the bytes after it would run as a second request),
// Transfer-Encoding beside Content-Length, a missing (HTTP/1.1) or repeated
// Host, and a repeated single-valued header. Checked once the header is read,
// before any body: the answer is 400 and the connection is closed.
std::optional<Response> HeaderViolation(const bhttp::request_header<>& header) {
  std::size_t hosts = 0;
  std::string codings;
  bool has_transfer_encoding = false;
  for (auto name : kSingleValuedHeaders) {
    auto count = header.count(beast::string_view(name.data(), name.size()));
    if (name == "Host")
      hosts = count;
    else if (count > 1)
      return ProblemResponse(400, "REPEATED_HEADER", "The " + std::string(name) + " header must be sent once.");
  }
  if (hosts > 1 || (hosts == 0 && header.version() >= 11))
    return ProblemResponse(400, "BAD_HOST", "An HTTP/1.1 request carries exactly one Host header.");
  for (auto range = header.equal_range(bhttp::field::transfer_encoding); range.first != range.second; ++range.first) {
    has_transfer_encoding = true;
    if (!codings.empty()) codings += ',';
    auto value = range.first->value();
    codings.append(value.data(), value.size());
  }
  if (!has_transfer_encoding) return std::nullopt;
  auto bad_framing = [] {
    return ProblemResponse(400, "BAD_FRAMING", "Transfer-Encoding must end in chunked and stand alone.");
  };
  if (header.version() < 11 || header.count(bhttp::field::content_length) > 0) return bad_framing();
  std::string_view list = codings;
  std::string_view last;
  int chunked = 0;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto coding = Trim(list.substr(0, comma));
    if (!coding.empty()) {
      last = coding;
      if (IEquals(coding, "chunked")) ++chunked;
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  if (chunked != 1 || !IEquals(last, "chunked")) return bad_framing();
  return std::nullopt;
}

// Fills everything but peer_address; false when the target is not origin-form.
bool BuildRequest(BeastRequest&& message, Request& request) {
  auto target = message.target();
  auto url = boost::urls::parse_origin_form(boost::core::string_view(target.data(), target.size()));
  if (!url) return false;
  auto method = message.method_string();
  request.method.assign(method.data(), method.size());
  request.target.assign(target.data(), target.size());
  request.path = url->path();
  for (auto param : url->params()) request.query.emplace_back(param.key, param.value);
  for (const auto& field : message) {
    auto name = field.name_string();
    auto value = field.value();
    request.headers.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
  }
  request.body = std::move(message.body());
  return true;
}

ParsedRequest ParseRequest(std::string_view raw, const ServerOptions& options) {
  ParsedRequest result;
  Parser parser;
  ConfigureParser(parser, options);
  parser.eager(true);
  beast::error_code ec;
  std::size_t consumed = 0;
  bool header_checked = false;
  while (!parser.is_done() && consumed < raw.size()) {
    auto used = parser.put(asio::buffer(raw.data() + consumed, raw.size() - consumed), ec);
    consumed += used;
    if (ec == bhttp::error::need_more) return result;  // a partial request
    if (ec) {
      result.error_status = StatusForReadError(ec);
      return result;
    }
    if (parser.is_header_done() && !header_checked) {
      header_checked = true;
      if (auto violation = HeaderViolation(parser.get().base())) {
        result.error_status = violation->status;
        return result;
      }
      auto limit = BodyLimitFor(options, parser.get().base());
      if (parser.content_length() && *parser.content_length() > limit) {
        result.error_status = 413;
        return result;
      }
      parser.body_limit(static_cast<std::uint64_t>(limit));
    }
    if (used == 0) break;
  }
  if (!parser.is_done()) return result;
  if (!BuildRequest(parser.release(), result.request)) {
    result.error_status = 400;
    return result;
  }
  result.complete = true;
  return result;
}

}  // namespace pillivery::http
