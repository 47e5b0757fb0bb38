#include "simulator/routes.hpp"
#include "infra/html_escape.hpp"
#include "infra/percent_encoding.hpp"

#include "http/message.hpp"
#include "http/middleware.hpp"
#include "infra/clock.hpp"
#include "infra/json_writer.hpp"
#include "infra/log.hpp"

#include <boost/json.hpp>

#include <any>
#include <cctype>
#include <charconv>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <thread>

namespace pillivery::simulator {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// The current generation speaks JSON with SECRET_KEY; the legacy one form
// bodies with KakaoAK and {"code","msg"} errors.
enum class Generation { kCurrent, kLegacy };

using Params = std::map<std::string, std::string>;
using Services = std::shared_ptr<const SimulatorServices>;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view text) { return infra::PercentEncode(text); }

std::string Scalar(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.as_string());
    case json::kind::int64:
      return std::to_string(v.as_int64());
    case json::kind::uint64:
      return std::to_string(v.as_uint64());
    case json::kind::double_: {
      double d = v.as_double();
      if (d == static_cast<double>(static_cast<long long>(d))) return std::to_string(static_cast<long long>(d));
      return infra::ToJson(v);
    }
    case json::kind::bool_:
      return v.as_bool() ? "true" : "false";
    default:
      return infra::ToJson(v);  // payload may be an object
  }
}

// Both generations are parsed leniently by content: a body starting with '{'
// is JSON, anything else form-encoded.
Params ParseParams(const Request& request) {
  Params params;
  std::string_view body = request.body;
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && body[start] == '{') {
    json::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) throw GatewayError(codes::kInvalidParameter, "invalid JSON body");
    for (const auto& [key, value] : parsed.as_object()) {
      if (!value.is_null()) params[std::string(key)] = Scalar(value);
    }
    return params;
  }
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key = FormDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : FormDecode(pair.substr(eq + 1));
    params[key] = value;
  }
  return params;
}

std::string Get(const Params& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::optional<std::int64_t> GetInt(const Params& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  std::int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw GatewayError(codes::kInvalidParameter, std::string(name) + " must be an integer");
  }
  return value;
}

std::string KakaoTimeOrEmpty(const std::optional<TimePoint>& t) { return t ? KakaoTime(*t) : ""; }
json::value TimeOrNull(const std::optional<TimePoint>& t) {
  return t ? json::value(KakaoTime(*t)) : json::value(nullptr);
}

json::object AmountJson(const Amount& a) {
  return {{"total", a.total}, {"tax_free", a.tax_free}, {"vat", a.vat},
          {"point", a.point}, {"discount", a.discount}, {"green_deposit", a.green_deposit}};
}

Amount Remaining(const Payment& p) {
  Amount left;
  left.total = p.amount.total - p.canceled.total;
  left.tax_free = p.amount.tax_free - p.canceled.tax_free;
  left.vat = p.amount.vat - p.canceled.vat;
  return left;
}

json::object CardInfo(const Payment& p) {
  // A fixed test card: clients only need the shape.
  return {
      {"kakaopay_purchase_corp", "비씨카드"},
      {"kakaopay_purchase_corp_code", "104"},
      {"kakaopay_issuer_corp", "수협은행"},
      {"kakaopay_issuer_corp_code", "212"},
      {"bin", "515594"},
      {"card_type", "체크"},
      {"install_month", p.install_month < 10 ? "0" + std::to_string(p.install_month) : std::to_string(p.install_month)},
      {"approved_id", "73139248"},
      {"card_mid", "123456789"},
      {"interest_free_install", "N"},
      {"installment_type", ""},
      {"card_item_code", ""}};
}

json::object ApprovalJson(const Payment& p, const PaymentAction& action) {
  json::object o{{"aid", action.aid}, {"tid", p.tid}, {"cid", p.cid}};
  if (!p.sid.empty()) o["sid"] = p.sid;
  o["partner_order_id"] = p.partner_order_id;
  o["partner_user_id"] = p.partner_user_id;
  o["payment_method_type"] = p.payment_method_type;
  o["amount"] = AmountJson(p.amount);
  if (p.payment_method_type == "CARD") o["card_info"] = CardInfo(p);
  o["item_name"] = p.item_name;
  o["item_code"] = p.item_code;
  o["quantity"] = p.quantity;
  o["created_at"] = KakaoTime(p.created_at);
  o["approved_at"] = KakaoTimeOrEmpty(p.approved_at);
  o["payload"] = action.payload;
  return o;
}

json::object CancelJson(const Payment& p, const PaymentAction& action) {
  return {{"aid", action.aid},
          {"tid", p.tid},
          {"cid", p.cid},
          {"status", p.status},
          {"partner_order_id", p.partner_order_id},
          {"partner_user_id", p.partner_user_id},
          {"payment_method_type", p.payment_method_type},
          {"amount", AmountJson(p.amount)},
          {"approved_cancel_amount", AmountJson(action.amount)},
          {"canceled_amount", AmountJson(p.canceled)},
          {"cancel_available_amount", AmountJson(Remaining(p))},
          {"item_name", p.item_name},
          {"item_code", p.item_code},
          {"quantity", p.quantity},
          {"created_at", KakaoTime(p.created_at)},
          {"approved_at", TimeOrNull(p.approved_at)},
          {"canceled_at", TimeOrNull(p.canceled_at)},
          {"payload", action.payload}};
}

json::object OrderJson(const Payment& p) {
  json::array details;
  for (const auto& a : p.actions) {
    details.push_back(json::object{{"aid", a.aid},
                                   {"approved_at", KakaoTime(a.approved_at)},
                                   {"amount", a.amount.total},
                                   {"point_amount", a.amount.point},
                                   {"discount_amount", a.amount.discount},
                                   {"green_deposit", a.amount.green_deposit},
                                   {"payment_action_type", a.type},
                                   {"payload", a.payload}});
  }
  json::object o{{"tid", p.tid},
                 {"cid", p.cid},
                 {"status", p.status},
                 {"partner_order_id", p.partner_order_id},
                 {"partner_user_id", p.partner_user_id},
                 {"payment_method_type", p.payment_method_type},
                 {"amount", AmountJson(p.amount)},
                 {"canceled_amount", AmountJson(p.canceled)},
                 {"cancel_available_amount", AmountJson(Remaining(p))},
                 {"item_name", p.item_name},
                 {"item_code", p.item_code},
                 {"quantity", p.quantity},
                 {"created_at", KakaoTime(p.created_at)},
                 {"approved_at", TimeOrNull(p.approved_at)},
                 {"canceled_at", TimeOrNull(p.canceled_at)},
                 {"payment_action_details", std::move(details)}};
  if (!p.sid.empty()) o["sid"] = p.sid;
  return o;
}

json::object SidJson(const Sid& s, bool with_details) {
  json::object o;
  if (with_details) o["available"] = s.status == "ACTIVE";
  o["cid"] = s.cid;
  o["sid"] = s.sid;
  o["status"] = s.status;
  if (with_details) {
    o["payment_method_type"] = s.payment_method_type;
    o["item_name"] = s.item_name;
  }
  o["created_at"] = KakaoTime(s.created_at);
  o["last_approved_at"] = TimeOrNull(s.last_approved_at);
  o["inactivated_at"] = TimeOrNull(s.inactivated_at);
  return o;
}

Response ErrorResponse(const GatewayError& e, Generation gen) {
  json::object extras{{"method_result_code", e.MethodResultCode()}, {"method_result_message", e.MethodResultMessage()}};
  json::object body;
  if (gen == Generation::kLegacy) {
    body = {{"code", e.Code()}, {"msg", e.Message()}, {"extras", std::move(extras)}};
  } else {
    body = {{"error_code", e.Code()}, {"error_message", e.Message()}, {"extras", std::move(extras)}};
  }
  return Response::Json(e.HttpStatus(), body);
}

// The connection is reset without an answer: the client sees what a vanished
// gateway looks like. The status only labels the access log and metrics.
Response Dropped() {
  Response response;
  response.status = 503;
  response.abort_connection = true;
  return response;
}

std::optional<GatewayError> CheckAuth(const Request& request, Generation gen, const std::string& secret) {
  auto header = request.HeaderValue("Authorization");
  std::string_view value = header.value_or("");
  std::string_view key;
  auto strip = [&](std::string_view scheme) {
    if (value.size() > scheme.size() && http::IEquals(value.substr(0, scheme.size()), scheme)) {
      key = value.substr(scheme.size());
      return true;
    }
    return false;
  };
  bool scheme_ok = gen == Generation::kLegacy ? strip("KakaoAK ") : (strip("SECRET_KEY ") || strip("DEV_SECRET_KEY "));
  while (!key.empty() && key.front() == ' ') key.remove_prefix(1);
  if (!scheme_ok || key.empty()) {
    return GatewayError(codes::kBadApp,
                        gen == Generation::kLegacy ? "Authorization: KakaoAK {admin key} required"
                                                   : "Authorization: SECRET_KEY {secret key} required",
                        "", "", 401);
  }
  if (!secret.empty() && key != secret) return GatewayError(codes::kBadApp, "invalid key", "", "", 401);
  return std::nullopt;
}

std::string BaseUrl(const SimulatorServices& s, const Request& request) {
  if (!s.public_base_url.empty()) return s.public_base_url;
  return "http://" + std::string(request.HeaderValue("Host").value_or("127.0.0.1"));
}

using Perform = std::function<json::value(const Params&, const Request&)>;

// What a payment request is found to be before anything happens: its
// parameters and the fault to play, decided once per request.
struct PaymentCall {
  Params params;
  std::optional<GatewayError> parse_error;
  FaultDecision fault;
};

PaymentCall Prepare(const SimulatorServices& s, const Request& request, Operation op) {
  PaymentCall call;
  try {
    call.params = ParseParams(request);
  } catch (const GatewayError& e) {
    call.parse_error = e;
  }
  const Params& params = call.params;
  call.fault = s.faults->Decide(op, {Get(params, "sid"), Get(params, "partner_order_id"), Get(params, "tid")});
  if (call.fault.kind != FaultKind::kNone) {
    infra::LogInfo("pg-simulator fault", {{"fault", call.fault.label},
                                          {"operation", std::string(OperationName(op))},
                                          {"tid", Get(params, "tid")},
                                          {"sid", Get(params, "sid")},
                                          {"partner_order_id", Get(params, "partner_order_id")}});
  }
  return call;
}

// On the I/O thread, before the handler: a refusal is answered at once, as a
// real one is; any other call has the server wait out the latency on a timer
// and then runs the handler with this decision.
std::optional<Response> PreparePayment(const SimulatorServices& s, Request& request, Operation op) {
  PaymentCall call = Prepare(s, request, op);
  if (call.fault.kind == FaultKind::kConnectionRefused) return Dropped();
  auto latency = call.fault.latency;
  request.route_state = std::move(call);
  request.delay = latency;
  return std::nullopt;
}

// The life of a payment call after its latency: faults that strike before
// anything happens, then the gateway, then a fault that loses the answer
// after the fact.
Response ServePayment(const SimulatorServices& s, Request& request, Generation gen, Operation op,
                      const Perform& perform) {
  auto* prepared = std::any_cast<PaymentCall>(&request.route_state);
  PaymentCall own;
  if (!prepared) {
    // Called without the server's fast path (a router on its own): decide and
    // wait here, on this thread.
    own = Prepare(s, request, op);
    if (own.fault.kind == FaultKind::kConnectionRefused) return Dropped();
    std::this_thread::sleep_for(own.fault.latency);
    prepared = &own;
  }
  const PaymentCall& call = *prepared;
  const FaultDecision& fault = call.fault;
  if (fault.kind == FaultKind::kServerError) {
    Response response = ErrorResponse(GatewayError(-1, "internal server error (simulated)", "", "", 500), gen);
    response.SetHeader("X-Simulator-Fault", "serverError");
    return response;
  }
  if (auto denied = CheckAuth(request, gen, s.secret_key)) return ErrorResponse(*denied, gen);
  if (call.parse_error) return ErrorResponse(*call.parse_error, gen);
  if (fault.kind == FaultKind::kError) return ErrorResponse(*fault.error, gen);
  json::value body;
  try {
    body = perform(call.params, request);
  } catch (const GatewayError& e) {
    return ErrorResponse(e, gen);
  }
  if (fault.kind == FaultKind::kLostResponse) return Dropped();
  return Response::Json(200, body);
}

void AddPaymentRoutes(http::Router& router, const Services& s, const std::string& base, Generation gen) {
  auto add = [&](const std::string& path, Operation op, Perform perform) {
    router.Add(
        "POST", base + path,
        [s, gen, op, perform = std::move(perform)](Request& request) {
          return ServePayment(*s, request, gen, op, perform);
        },
        s->payment_execution, [s, op](Request& request) { return PreparePayment(*s, request, op); });
  };
  add("ready", Operation::kReady, [s](const Params& p, const Request& request) -> json::value {
    ReadyRequest r{Get(p, "cid"),
                   Get(p, "partner_order_id"),
                   Get(p, "partner_user_id"),
                   Get(p, "item_name"),
                   Get(p, "item_code"),
                   GetInt(p, "quantity"),
                   GetInt(p, "total_amount"),
                   GetInt(p, "tax_free_amount"),
                   GetInt(p, "vat_amount"),
                   Get(p, "approval_url"),
                   Get(p, "cancel_url"),
                   Get(p, "fail_url"),
                   Get(p, "payment_method_type"),
                   GetInt(p, "install_month")};
    Payment payment = s->gateway->Ready(r);
    std::string page = BaseUrl(*s, request) + "/__pay/" + payment.tid;
    std::string scheme = "kakaotalk://kakaopay/pg?url=" + UrlEncode(page + "?channel=app");
    return json::object{{"tid", payment.tid},
                        {"tms_result", false},
                        {"created_at", KakaoTime(payment.created_at)},
                        {"next_redirect_app_url", page + "?channel=app"},
                        {"next_redirect_mobile_url", page + "?channel=mobile"},
                        {"next_redirect_pc_url", page},
                        {"android_app_scheme", scheme},
                        {"ios_app_scheme", scheme}};
  });
  add("approve", Operation::kApprove, [s](const Params& p, const Request&) -> json::value {
    ApproveRequest r{Get(p, "cid"),      Get(p, "tid"),     Get(p, "partner_order_id"), Get(p, "partner_user_id"),
                     Get(p, "pg_token"), Get(p, "payload"), GetInt(p, "total_amount")};
    PaymentOutcome outcome = s->gateway->Approve(r);
    return ApprovalJson(outcome.payment, outcome.action);
  });
  add("subscription", Operation::kSubscription, [s](const Params& p, const Request&) -> json::value {
    SubscriptionRequest r{Get(p, "cid"),
                          Get(p, "sid"),
                          Get(p, "partner_order_id"),
                          Get(p, "partner_user_id"),
                          Get(p, "item_name"),
                          Get(p, "item_code"),
                          GetInt(p, "quantity"),
                          GetInt(p, "total_amount"),
                          GetInt(p, "tax_free_amount"),
                          GetInt(p, "vat_amount"),
                          Get(p, "payload")};
    PaymentOutcome outcome = s->gateway->Charge(r);
    return ApprovalJson(outcome.payment, outcome.action);
  });
  add("cancel", Operation::kCancel, [s](const Params& p, const Request&) -> json::value {
    CancelRequest r{Get(p, "cid"),
                    Get(p, "tid"),
                    GetInt(p, "cancel_amount"),
                    GetInt(p, "cancel_tax_free_amount"),
                    GetInt(p, "cancel_vat_amount"),
                    GetInt(p, "cancel_available_amount"),
                    Get(p, "payload")};
    PaymentOutcome outcome = s->gateway->Cancel(r);
    return CancelJson(outcome.payment, outcome.action);
  });
  add("order", Operation::kOrder, [s](const Params& p, const Request&) -> json::value {
    return OrderJson(s->gateway->Order(Get(p, "cid"), Get(p, "tid")));
  });
  add("manage/subscription/inactive", Operation::kSidInactive, [s](const Params& p, const Request&) -> json::value {
    return SidJson(s->gateway->InactivateSid(Get(p, "cid"), Get(p, "sid")), false);
  });
  add("manage/subscription/status", Operation::kSidStatus, [s](const Params& p, const Request&) -> json::value {
    return SidJson(s->gateway->SidStatus(Get(p, "cid"), Get(p, "sid")), true);
  });
}

Response HtmlPage(int status, const std::string& title, const std::string& body) {
  return Response::Text(status,
                        "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + infra::HtmlEscape(title) +
                            "</title></head><body>" + body + "</body></html>",
                        "text/html; charset=utf-8");
}

Response PageError(const GatewayError& e) {
  int status = e.Code() == codes::kTidNotFound ? 404 : 409;
  return HtmlPage(status, "KakaoPay simulator",
                  "<p>" + infra::HtmlEscape(e.Message()) + " (" + std::to_string(e.Code()) + ")</p>");
}

Response AuthenticateAndRedirect(const SimulatorServices& s, const std::string& tid, PageAction action) {
  try {
    return Response::Redirect(s.gateway->Authenticate(tid, action));
  } catch (const GatewayError& e) {
    return PageError(e);
  }
}

void AddApprovalPage(http::Router& router, const Services& s) {
  router.Add("GET", "/__pay/{tid}", [s](Request& request) {
    std::string tid(request.PathParam("tid").value_or(""));
    std::string_view automatic = request.QueryValue("auto").value_or("");
    if (automatic == "approve") return AuthenticateAndRedirect(*s, tid, PageAction::kApprove);
    if (automatic == "quit") return AuthenticateAndRedirect(*s, tid, PageAction::kQuit);
    if (automatic == "fail") return AuthenticateAndRedirect(*s, tid, PageAction::kFail);
    if (!automatic.empty()) {
      return HtmlPage(400, "KakaoPay simulator", "<p>auto must be approve, quit or fail</p>");
    }
    std::optional<Payment> payment = s->gateway->FindByTid(tid);
    if (!payment) return PageError(GatewayError(codes::kTidNotFound, "tid not found: " + tid));
    std::string t = infra::HtmlEscape(tid);
    return HtmlPage(200, "KakaoPay simulator",
                    "<h1>KakaoPay simulator</h1><p>Payment " + t + ": " + infra::HtmlEscape(payment->item_name) + ", " +
                        std::to_string(payment->amount.total) + " KRW (" + infra::HtmlEscape(payment->status) +
                        ")</p>"
                        "<form method=\"post\" action=\"/__pay/" +
                        t +
                        "/approve\"><button type=\"submit\">pay</button></form>"
                        "<form method=\"post\" action=\"/__pay/" +
                        t +
                        "/quit\"><button type=\"submit\">quit</button></form>"
                        "<form method=\"post\" action=\"/__pay/" +
                        t + "/fail\"><button type=\"submit\">fail</button></form>");
  });
  const std::pair<const char*, PageAction> kActions[] = {
      {"approve", PageAction::kApprove}, {"quit", PageAction::kQuit}, {"fail", PageAction::kFail}};
  for (const auto& [name, action] : kActions) {
    router.Add("POST", std::string("/__pay/{tid}/") + name, [s, action = action](Request& request) {
      return AuthenticateAndRedirect(*s, std::string(request.PathParam("tid").value_or("")), action);
    });
  }
}

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

void AddControlRoutes(http::Router& router, const Services& s) {
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
  router.Add("POST", "/__faults", [s](Request& request) {
    try {
      json::value body = request.body.find_first_not_of(" \t\r\n") == std::string::npos ? json::value(json::object{})
                                                                                        : json::parse(request.body);
      s->faults->Configure(ParseFaultConfig(body));
    } catch (const std::exception& e) {
      return BadControlRequest(std::string("bad fault configuration: ") + e.what());
    }
    return Response::Json(200, s->faults->Describe());
  });
  if (!s->clock) return;
  auto describe_clock = [s] {
    return json::object{{"now", infra::FormatIsoTime(s->clock->Now())},
                        {"offsetSeconds", static_cast<double>(s->clock->Offset().count()) / 1000.0}};
  };
  router.Add("GET", "/__clock", [describe_clock](Request&) { return Response::Json(200, describe_clock()); });
  router.Add("POST", "/__clock", [s, describe_clock](Request& request) {
    json::error_code ec;
    json::value body = json::parse(request.body, ec);
    const json::value* advance = !ec && body.is_object() ? body.as_object().if_contains("advanceSeconds") : nullptr;
    if (!advance || !advance->is_number()) return BadControlRequest("advanceSeconds (a number) is required");
    double seconds = advance->to_number<double>();
    if (seconds < 0) return BadControlRequest("advanceSeconds must not be negative");
    s->clock->Advance(std::chrono::milliseconds(static_cast<long long>(seconds * 1000)));
    return Response::Json(200, describe_clock());
  });
}

}  // namespace

std::string KakaoTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

void AddSimulatorRoutes(http::Router& router, const SimulatorServices& services) {
  auto s = std::make_shared<const SimulatorServices>(services);
  AddPaymentRoutes(router, s, "/online/v1/payment/", Generation::kCurrent);
  AddPaymentRoutes(router, s, "/v1/payment/", Generation::kLegacy);
  AddApprovalPage(router, s);
  AddControlRoutes(router, s);
}

}  // namespace pillivery::simulator
