#include "simulator/control_routes.hpp"
#include "http/message.hpp"
#include "http/middleware.hpp"
#include "infra/clock.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace pillivery::simulator {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::value LedgerJson(const std::vector<LedgerEntry>& ledger) {
  json::array payments;
  for (const auto& e : ledger) {
    payments.push_back(json::object{{"kind", e.kind},
                                    {"tid", e.tid},
                                    {"aid", e.aid},
                                    {"sid", e.sid.empty() ? json::value(nullptr) : json::value(e.sid)},
                                    {"cid", e.cid},
                                    {"partner_order_id", e.partner_order_id},
                                    {"partner_user_id", e.partner_user_id},
                                    {"amount", e.amount},
                                    {"at", infra::FormatIsoTime(e.at)}});
  }
  return json::object{{"payments", std::move(payments)}};
}

Response BadControlRequest(const std::string& detail) {
  return http::ProblemResponse(400, "VALIDATION_FAILED", detail);
}

Response ConfigureFaults(const SimulatorServices& s, const Request& request) {
  try {
    json::value body = request.body.find_first_not_of(" \t\r\n") == std::string::npos ? json::value(json::object{})
                                                                                      : json::parse(request.body);
    s.faults->Configure(ParseFaultConfig(body));
  } catch (const std::exception& e) {
    return BadControlRequest(std::string("bad fault configuration: ") + e.what());
  }
  return Response::Json(200, s.faults->Describe());
}

json::object DescribeClock(const OffsetClock& clock) {
  return json::object{{"now", infra::FormatIsoTime(clock.Now())},
                      {"offsetSeconds", static_cast<double>(clock.Offset().count()) / 1000.0}};
}

Response AdvanceClock(OffsetClock& clock, const Request& request) {
  json::error_code ec;
  json::value body = json::parse(request.body, ec);
  const json::value* advance = !ec && body.is_object() ? body.as_object().if_contains("advanceSeconds") : nullptr;
  if (!advance || !advance->is_number()) return BadControlRequest("advanceSeconds (a number) is required");
  double seconds = advance->to_number<double>();
  if (seconds < 0) return BadControlRequest("advanceSeconds must not be negative");
  clock.Advance(std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
  return Response::Json(200, DescribeClock(clock));
}

}  // namespace

void AddControlRoutes(http::Router& router, const SharedServices& s) {
  router.Add(
      "GET", "/__health",
      [](Request&) {
        return Response::Json(200, json::object{{"status", "UP"}});
      },
      http::Execution::kInline);
  router.Add("GET", "/__ledger", [s](Request&) { return Response::Json(200, LedgerJson(s->gateway->Ledger())); });
  router.Add("POST", "/__reset", [s](Request&) {
    s->gateway->Reset();
    s->faults->Reset();
    if (s->clock) s->clock->ResetOffset();
    return Response::NoContent();
  });
  router.Add("GET", "/__faults", [s](Request&) { return Response::Json(200, s->faults->Describe()); });
  router.Add("DELETE", "/__faults", [s](Request&) {
    s->faults->Reset();
    return Response::Json(200, s->faults->Describe());
  });
  router.Add("POST", "/__faults", [s](Request& request) { return ConfigureFaults(*s, request); });
  if (!s->clock) return;
  OffsetClock* clock = s->clock;
  router.Add("GET", "/__clock", [clock](Request&) { return Response::Json(200, DescribeClock(*clock)); });
  router.Add("POST", "/__clock", [clock](Request& request) { return AdvanceClock(*clock, request); });
}

}  // namespace pillivery::simulator
