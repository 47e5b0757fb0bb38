#include "http/middleware.hpp"

#include "domain/error.hpp"
#include "http/gzip.hpp"
#include "infra/log.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <tuple>

namespace pillivery::http {

namespace {

constexpr std::size_t kMaxRequestIdLength = 128;
constexpr std::size_t kGzipMinBytes = 1024;

Response MakeProblem(int status, std::string_view title, std::string_view code, std::string_view detail,
                     const std::vector<std::pair<std::string, std::string>>& errors) {
  std::string type = "about:blank";
  if (!code.empty()) {
    // ITEM_NOT_FOUND → item-not-found: stable, documentable URLs per code.
    type = "https://pillivery.dev/problems/";
    for (char c : code) {
      if (c == '_')
        type += '-';
      else if (c >= 'A' && c <= 'Z')
        type += static_cast<char>(c - 'A' + 'a');
      else
        type += c;
    }
  }
  boost::json::array error_array;
  for (const auto& [field, reason] : errors) {
    error_array.push_back(boost::json::object{{"field", field}, {"reason", reason}});
  }
  boost::json::object body{
      {"type", type},     {"title", title}, {"status", status},
      {"detail", detail}, {"code", code},   {"errors", std::move(error_array)},
  };
  auto response = Response::Json(status, body);
  response.content_type = "application/problem+json";
  return response;
}

bool IsRequestIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!IsRequestIdChar(c)) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Accept-Encoding: "gzip;q=0.8, br" — gzip (or *) with a non-zero q.
bool AcceptsGzip(std::string_view header) {
  bool gzip_seen = false;
  bool gzip_ok = false;
  bool star_ok = false;
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semicolon = item.find(';');
    auto coding = Trim(item.substr(0, semicolon));
    double q = 1.0;
    if (semicolon != std::string_view::npos) {
      auto params = Trim(item.substr(semicolon + 1));
      if (params.size() >= 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
        std::string value(Trim(params.substr(2)));
        q = std::strtod(value.c_str(), nullptr);
      }
    }
    if (IEquals(coding, "gzip") || IEquals(coding, "x-gzip")) {
      gzip_seen = true;
      gzip_ok = q > 0;
    } else if (coding == "*") {
      star_ok = q > 0;
    }
  }
  return gzip_seen ? gzip_ok : star_ok;
}

// JSON answers, and the web app's text files (HTML, scripts, styles, SVG).
bool IsCompressibleContentType(std::string_view content_type) {
  auto base = Trim(content_type.substr(0, content_type.find(';')));
  return IEquals(base, "application/json") || IEquals(base, "application/problem+json") ||
         IEquals(base, "image/svg+xml") || IEquals(base, "application/manifest+json") ||
         (base.size() > 5 && IEquals(base.substr(0, 5), "text/"));
}

// Methods outside this list are folded into "OTHER" so a client cannot create
// unbounded label values.
std::string MethodLabel(const std::string& method) {
  static const char* const kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (const char* known : kKnown) {
    if (method == known) return method;
  }
  return "OTHER";
}

std::string RouteLabel(const Request& request) {
  return request.route.empty() ? std::string("unmatched") : request.route;
}

double ElapsedMs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int StatusOf(domain::ErrorKind kind) {
  switch (kind) {
    case domain::ErrorKind::kBadRequest:
      return 400;
    case domain::ErrorKind::kUnauthorized:
      return 401;
    case domain::ErrorKind::kForbidden:
      return 403;
    case domain::ErrorKind::kNotFound:
      return 404;
    case domain::ErrorKind::kConflict:
      return 409;
    case domain::ErrorKind::kPayloadTooLarge:
      return 413;
    case domain::ErrorKind::kUnsupportedMediaType:
      return 415;
    case domain::ErrorKind::kUnprocessable:
      return 422;
    case domain::ErrorKind::kRateLimited:
      return 429;
    case domain::ErrorKind::kUnavailable:
      return 503;
    case domain::ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

const char* StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
  }
}

std::string NewRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int half = 0; half < 2; ++half) {
    auto bits = engine();
    for (int i = 0; i < 16; ++i) {
      id += kHex[bits & 0xF];
      bits >>= 4;
    }
  }
  return id;
}

Response ProblemResponse(int status, std::string_view code, std::string_view detail,
                         const std::vector<std::pair<std::string, std::string>>& errors) {
  return MakeProblem(status, StatusTitle(status), code, detail, errors);
}

Middleware RequestIdMiddleware() {
  return [](Request& request, const Handler& next) {
    auto incoming = request.HeaderValue("X-Request-Id");
    request.request_id = incoming && IsSaneRequestId(*incoming) ? std::string(*incoming) : NewRequestId();
    auto response = next(request);
    response.SetHeader("X-Request-Id", request.request_id);
    return response;
  };
}

Middleware AccessLogMiddleware() {
  return [](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    auto log = [&](int status) {
      // Headers and bodies are never logged: they carry tokens and personal data.
      infra::LogInfo("request", {{"method", request.method},
                                 {"route", RouteLabel(request)},
                                 {"path", request.path},
                                 {"status", status},
                                 {"duration_ms", ElapsedMs(start)},
                                 {"request_id", request.request_id},
                                 {"peer", request.peer_address},
                                 {"client", request.client_address}});
    };
    Response response;
    try {
      response = next(request);
    } catch (...) {
      log(500);  // the server turns whatever escapes into a 500
      throw;
    }
    log(response.status);
    return response;
  };
}

Middleware MetricsMiddleware(prometheus::Registry& registry) {
  struct Metrics {
    prometheus::Family<prometheus::Counter>* requests = nullptr;
    prometheus::Family<prometheus::Histogram>* durations = nullptr;
    std::mutex mutex;
    std::map<std::tuple<std::string, std::string, int>, prometheus::Counter*> counters;
    std::map<std::pair<std::string, std::string>, prometheus::Histogram*> histograms;
  };
  auto metrics = std::make_shared<Metrics>();
  metrics->requests = &prometheus::BuildCounter()
                           .Name("http_requests_total")
                           .Help("HTTP requests by method, route template and status.")
                           .Register(registry);
  metrics->durations = &prometheus::BuildHistogram()
                            .Name("http_request_duration_seconds")
                            .Help("HTTP request latency by method and route template.")
                            .Register(registry);

  return [metrics](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    auto record = [&](int status) {
      double seconds = ElapsedMs(start) / 1000.0;
      auto method = MethodLabel(request.method);
      auto route = RouteLabel(request);
      prometheus::Counter* counter = nullptr;
      prometheus::Histogram* histogram = nullptr;
      {
        // Family::Add locks and hashes labels; the map keeps the hot path cheap.
        std::lock_guard lock(metrics->mutex);
        auto& counter_slot = metrics->counters[{method, route, status}];
        if (!counter_slot) {
          counter_slot =
              &metrics->requests->Add({{"method", method}, {"route", route}, {"status", std::to_string(status)}});
        }
        counter = counter_slot;
        auto& histogram_slot = metrics->histograms[{method, route}];
        if (!histogram_slot) {
          static const prometheus::Histogram::BucketBoundaries kBuckets = {
              0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
          histogram_slot = &metrics->durations->Add({{"method", method}, {"route", route}}, kBuckets);
        }
        histogram = histogram_slot;
      }
      counter->Increment();
      histogram->Observe(seconds);
    };
    Response response;
    try {
      response = next(request);
    } catch (...) {
      record(500);
      throw;
    }
    record(response.status);
    return response;
  };
}

Middleware ProblemMiddleware(ExceptionTranslator translate, std::string www_authenticate) {
  auto problem = [www_authenticate = std::move(www_authenticate)](const domain::Error& error, std::string_view detail) {
    int status = StatusOf(error.Kind());
    std::vector<std::pair<std::string, std::string>> errors;
    for (const auto& field_error : error.Errors()) errors.emplace_back(field_error.field, field_error.reason);
    auto response = MakeProblem(status, StatusTitle(status), error.Code(), detail, errors);
    // RFC 6750 §3 asks a 401 to name the scheme; RFC 9110 §10.2.3 lets a 429 say when.
    if (status == 401 && !www_authenticate.empty()) response.SetHeader("WWW-Authenticate", www_authenticate);
    if (auto seconds = error.RetryAfter()) response.SetHeader("Retry-After", std::to_string(*seconds));
    return response;
  };
  return [translate = std::move(translate), problem](Request& request, const Handler& next) -> Response {
    try {
      return next(request);
    } catch (const domain::Error& error) {
      if (error.Kind() == domain::ErrorKind::kInternal) {
        // An internal error is a bug: its detail is for the log, not the client.
        infra::LogError("internal error", {{"code", error.Code()},
                                           {"detail", error.Detail()},
                                           {"request_id", request.request_id},
                                           {"route", RouteLabel(request)}});
        return MakeProblem(500, StatusTitle(500), error.Code(), "An unexpected error occurred.", {});
      }
      return problem(error, error.Detail());
    } catch (const std::exception& error) {
      if (translate) {
        if (auto known = translate(error)) {
          infra::LogWarn("request failed", {{"code", known->Code()},
                                            {"what", error.what()},
                                            {"request_id", request.request_id},
                                            {"route", RouteLabel(request)}});
          return problem(*known, known->Detail());
        }
      }
      infra::LogError("unhandled exception",
                      {{"what", error.what()}, {"request_id", request.request_id}, {"route", RouteLabel(request)}});
      return ProblemResponse(500, "INTERNAL_ERROR", "An unexpected error occurred.");
    } catch (...) {
      infra::LogError("unhandled non-standard exception",
                      {{"request_id", request.request_id}, {"route", RouteLabel(request)}});
      return ProblemResponse(500, "INTERNAL_ERROR", "An unexpected error occurred.");
    }
  };
}

Middleware GzipMiddleware() {
  return [](Request& request, const Handler& next) {
    auto response = next(request);
    if (response.body.size() <= kGzipMinBytes || !IsCompressibleContentType(response.content_type) ||
        response.HeaderValue("Content-Encoding")) {
      return response;
    }
    // The representation depends on Accept-Encoding whether or not this client
    // gets gzip, so caches must know either way.
    response.SetHeader("Vary", "Accept-Encoding");
    auto accept = request.HeaderValue("Accept-Encoding");
    if (!accept || !AcceptsGzip(*accept)) return response;
    response.body = GzipCompress(response.body);
    response.SetHeader("Content-Encoding", "gzip");
    return response;
  };
}

}  // namespace pillivery::http
