#include "simulator/payment_routes.hpp"
#include "http/message.hpp"
#include "infra/log.hpp"
#include "simulator/wire_params.hpp"

#include <any>
#include <functional>
#include <optional>
#include <thread>

namespace pillivery::simulator {
namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

Response ErrorResponse(const GatewayError& e, Generation gen) {
  return Response::Json(e.HttpStatus(), ErrorJson(e, gen));
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

// What an endpoint does once the call is let through: the Gateway operation
// and the shape of its answer.
using Perform = std::function<json::value(const SimulatorServices&, const Params&, const Request&)>;

// What a payment request is found to be before anything happens: its
// parameters and the fault to play, decided once per request.
struct PaymentCall {
  Params params;
  std::optional<GatewayError> parse_error;
  FaultDecision fault;
};

// On the I/O thread, before the handler: a refusal is answered at once, as a
// real one is; any other call has the server wait out the latency on a timer
// and then runs the handler with this decision.
std::optional<Response> PreparePayment(const SimulatorServices& s, Request& request, Operation op) {
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
  if (call.fault.kind == FaultKind::kConnectionRefused) return Dropped();
  request.delay = call.fault.latency;
  request.route_state = std::move(call);
  return std::nullopt;
}

// The life of a payment call after its latency: faults that strike before
// anything happens, then the gateway, then a fault that loses the answer
// after the fact.
Response ServePayment(const SimulatorServices& s, Request& request, Generation gen, Operation op,
                      const Perform& perform) {
  if (!std::any_cast<PaymentCall>(&request.route_state)) {
    // Called without the server's fast path (a router on its own): decide
    // here, and wait out the latency on this thread.
    if (auto refused = PreparePayment(s, request, op)) return *refused;
    std::this_thread::sleep_for(request.delay);
  }
  const PaymentCall& call = *std::any_cast<PaymentCall>(&request.route_state);
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
    body = perform(s, call.params, request);
  } catch (const GatewayError& e) {
    return ErrorResponse(e, gen);
  }
  if (fault.kind == FaultKind::kLostResponse) return Dropped();
  return Response::Json(200, body);
}

json::value Ready(const SimulatorServices& s, const Params& p, const Request& request) {
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
  Payment payment = s.gateway->Ready(r);
  return ReadyJson(payment, BaseUrl(s, request) + "/__pay/" + payment.tid);
}

json::value Approve(const SimulatorServices& s, const Params& p, const Request&) {
  ApproveRequest r{Get(p, "cid"),      Get(p, "tid"),     Get(p, "partner_order_id"), Get(p, "partner_user_id"),
                   Get(p, "pg_token"), Get(p, "payload"), GetInt(p, "total_amount")};
  PaymentOutcome outcome = s.gateway->Approve(r);
  return ApprovalJson(outcome.payment, outcome.action);
}

json::value Subscription(const SimulatorServices& s, const Params& p, const Request&) {
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
  PaymentOutcome outcome = s.gateway->Charge(r);
  return ApprovalJson(outcome.payment, outcome.action);
}

json::value Cancel(const SimulatorServices& s, const Params& p, const Request&) {
  CancelRequest r{Get(p, "cid"),
                  Get(p, "tid"),
                  GetInt(p, "cancel_amount"),
                  GetInt(p, "cancel_tax_free_amount"),
                  GetInt(p, "cancel_vat_amount"),
                  GetInt(p, "cancel_available_amount"),
                  Get(p, "payload")};
  PaymentOutcome outcome = s.gateway->Cancel(r);
  return CancelJson(outcome.payment, outcome.action);
}

json::value Order(const SimulatorServices& s, const Params& p, const Request&) {
  return OrderJson(s.gateway->Order(Get(p, "cid"), Get(p, "tid")));
}

json::value InactivateSid(const SimulatorServices& s, const Params& p, const Request&) {
  return SidJson(s.gateway->InactivateSid(Get(p, "cid"), Get(p, "sid")), false);
}

json::value SidStatus(const SimulatorServices& s, const Params& p, const Request&) {
  return SidJson(s.gateway->SidStatus(Get(p, "cid"), Get(p, "sid")), true);
}

}  // namespace

void AddPaymentRoutes(http::Router& router, const SharedServices& s, const std::string& base, Generation gen) {
  auto add = [&](const std::string& path, Operation op, Perform perform) {
    router.Add(
        "POST", base + path,
        [s, gen, op, perform = std::move(perform)](Request& request) {
          return ServePayment(*s, request, gen, op, perform);
        },
        s->payment_execution, [s, op](Request& request) { return PreparePayment(*s, request, op); });
  };
  add("ready", Operation::kReady, Ready);
  add("approve", Operation::kApprove, Approve);
  add("subscription", Operation::kSubscription, Subscription);
  add("cancel", Operation::kCancel, Cancel);
  add("order", Operation::kOrder, Order);
  add("manage/subscription/inactive", Operation::kSidInactive, InactivateSid);
  add("manage/subscription/status", Operation::kSidStatus, SidStatus);
}

}  // namespace pillivery::simulator
