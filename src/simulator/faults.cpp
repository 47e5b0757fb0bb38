#include "simulator/faults.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace pillivery::simulator {
namespace json = boost::json;

namespace {

constexpr const char* kSoftCodes[] = {"INSUFFICIENT_BALANCE", "EXCEED_LIMIT"};
constexpr const char* kSoftMessages[] = {"insufficient balance", "card limit exceeded"};

const char* KindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kConnectionRefused:
      return "connectionRefused";
    case FaultKind::kLostResponse:
      return "lostResponse";
    case FaultKind::kServerError:
      return "serverError";
    case FaultKind::kError:
      return "error";
    case FaultKind::kNone:
      break;
  }
  return "none";
}

std::string DefaultMessage(int code) {
  switch (code) {
    case codes::kApproveFailed:
      return "payment approval failed";
    case codes::kCancelFailed:
      return "payment cancel failed";
    case codes::kChargeFailed:
      return "recurring payment failed";
    case codes::kSidNotFound:
      return "sid not found";
    case codes::kSidInactive:
      return "sid is inactive";
    case codes::kSidUserMismatch:
      return "partner_user_id differs from the SID-issuing ready";
    case codes::kDuplicate:
      return "duplicate request";
    default:
      return "simulated error " + std::to_string(code);
  }
}

bool Matches(const ForcedError& f, Operation op, const RequestKeys& keys) {
  if (f.operation.empty()) {
    if (op != Operation::kApprove && op != Operation::kSubscription && op != Operation::kCancel) return false;
  } else if (f.operation != OperationName(op)) {
    return false;
  }
  if (!f.sid.empty() && f.sid != keys.sid) return false;
  if (!f.partner_order_id.empty() && f.partner_order_id != keys.partner_order_id) return false;
  if (!f.tid.empty() && f.tid != keys.tid) return false;
  return true;
}

double Rate(const json::object& rates, const char* key) {
  const json::value* v = rates.if_contains(key);
  if (!v) return 0;
  if (!v->is_number()) throw std::invalid_argument(std::string("failureRates.") + key + " must be a number");
  double rate = v->to_number<double>();
  if (rate < 0 || rate > 1) throw std::invalid_argument(std::string("failureRates.") + key + " must be in [0, 1]");
  return rate;
}

std::string OptString(const json::object& o, const char* key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return "";
  if (!v->is_string()) throw std::invalid_argument(where + key + " must be a string");
  return std::string(v->as_string());
}

int OptInt(const json::object& o, const char* key, int fallback, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_int64() && !v->is_uint64()) throw std::invalid_argument(where + key + " must be an integer");
  return static_cast<int>(v->to_number<std::int64_t>());
}

}  // namespace

std::string_view OperationName(Operation op) {
  switch (op) {
    case Operation::kReady:
      return "ready";
    case Operation::kApprove:
      return "approve";
    case Operation::kSubscription:
      return "subscription";
    case Operation::kCancel:
      return "cancel";
    case Operation::kOrder:
      return "order";
    case Operation::kSidInactive:
      return "inactive";
    case Operation::kSidStatus:
      return "status";
  }
  return "";
}

FaultInjector::FaultInjector() : rng_(std::random_device{}()) {}

void FaultInjector::Configure(FaultConfig config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
  rng_.seed(config_.seed ? *config_.seed : std::random_device{}());
  injected_.clear();
}

FaultDecision FaultInjector::Decide(Operation op, const RequestKeys& keys) {
  std::lock_guard lock(mutex_);
  ++decisions_;
  FaultDecision decision;
  int jitter =
      config_.latency_jitter_ms > 0 ? std::uniform_int_distribution<int>(0, config_.latency_jitter_ms)(rng_) : 0;
  decision.latency = std::chrono::milliseconds(config_.latency_ms + jitter);

  // Forced errors first: they are what a test set up on purpose.
  for (auto& forced : config_.forced) {
    if (forced.times == 0 || !Matches(forced, op, keys)) continue;
    if (forced.times > 0) --forced.times;
    decision.kind = forced.kind;
    decision.label = "forced";
    if (forced.kind == FaultKind::kError) {
      decision.error.emplace(
          forced.error_code, forced.error_message.empty() ? DefaultMessage(forced.error_code) : forced.error_message,
          forced.method_result_code, forced.method_result_message, forced.error_code == codes::kBadApp ? 401 : 400);
    }
    ++injected_[std::string("forced.") + KindName(forced.kind)];
    return decision;
  }

  const FailureRates& r = config_.rates;
  bool declinable = op == Operation::kApprove || op == Operation::kSubscription;
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  double edge = 0;
  auto hit = [&](double rate) {
    edge += rate;
    return u < edge;
  };
  if (hit(r.connection_refused)) {
    decision.kind = FaultKind::kConnectionRefused;
    decision.label = "connectionRefused";
  } else if (hit(r.lost_response)) {
    decision.kind = FaultKind::kLostResponse;
    decision.label = "lostResponse";
  } else if (hit(r.server_error)) {
    decision.kind = FaultKind::kServerError;
    decision.label = "serverError";
  } else if (hit(r.soft_decline) && declinable) {
    int which = std::uniform_int_distribution<int>(0, 1)(rng_);
    int code = op == Operation::kApprove ? codes::kApproveFailed : codes::kChargeFailed;
    decision.kind = FaultKind::kError;
    decision.label = "softDecline";
    decision.error.emplace(code, DefaultMessage(code), kSoftCodes[which], kSoftMessages[which]);
  } else if (hit(r.hard_decline) && declinable) {
    decision.kind = FaultKind::kError;
    decision.label = "hardDecline";
    if (op == Operation::kSubscription) {
      decision.error.emplace(codes::kSidInactive, DefaultMessage(codes::kSidInactive));
    } else {
      decision.error.emplace(codes::kApproveFailed, DefaultMessage(codes::kApproveFailed), "CARD_STOLEN",
                             "the card was reported stolen");
    }
  }
  if (decision.kind != FaultKind::kNone) ++injected_[decision.label];
  return decision;
}

json::value FaultInjector::Describe() const {
  std::lock_guard lock(mutex_);
  json::array forced;
  for (const auto& f : config_.forced) {
    json::object o;
    if (!f.sid.empty()) o["sid"] = f.sid;
    if (!f.partner_order_id.empty()) o["partnerOrderId"] = f.partner_order_id;
    if (!f.tid.empty()) o["tid"] = f.tid;
    if (!f.operation.empty()) o["operation"] = f.operation;
    if (f.kind == FaultKind::kError) {
      o["errorCode"] = f.error_code;
      if (!f.error_message.empty()) o["errorMessage"] = f.error_message;
      if (!f.method_result_code.empty()) o["methodResultCode"] = f.method_result_code;
      if (!f.method_result_message.empty()) o["methodResultMessage"] = f.method_result_message;
    } else {
      o["fault"] = KindName(f.kind);
    }
    o["times"] = f.times;  // what is left; negative means always
    forced.push_back(std::move(o));
  }
  json::object injected;
  for (const auto& [name, count] : injected_) injected[name] = count;
  json::object out{{"latencyMs", config_.latency_ms},
                   {"latencyJitterMs", config_.latency_jitter_ms},
                   {"failureRates", json::object{{"connectionRefused", config_.rates.connection_refused},
                                                 {"lostResponse", config_.rates.lost_response},
                                                 {"serverError", config_.rates.server_error},
                                                 {"softDecline", config_.rates.soft_decline},
                                                 {"hardDecline", config_.rates.hard_decline}}},
                   {"forcedErrors", std::move(forced)},
                   {"injected", std::move(injected)}};
  if (config_.seed) out["seed"] = *config_.seed;
  return out;
}

FaultConfig ParseFaultConfig(const json::value& body) {
  if (!body.is_object()) throw std::invalid_argument("body must be a JSON object");
  const json::object& o = body.as_object();
  static constexpr const char* kKnown[] = {"latencyMs", "latencyJitterMs", "failureRates", "forcedErrors", "seed"};
  for (const auto& [key, value] : o) {
    bool known = false;
    for (const char* k : kKnown) known |= key == k;
    // A misspelt key would otherwise silently inject nothing.
    if (!known) throw std::invalid_argument("unknown field " + std::string(key));
  }
  FaultConfig config;
  config.latency_ms = OptInt(o, "latencyMs", 0, "");
  config.latency_jitter_ms = OptInt(o, "latencyJitterMs", 0, "");
  if (config.latency_ms < 0 || config.latency_jitter_ms < 0) {
    throw std::invalid_argument("latencyMs and latencyJitterMs must not be negative");
  }
  if (const json::value* rates = o.if_contains("failureRates"); rates && !rates->is_null()) {
    if (!rates->is_object()) throw std::invalid_argument("failureRates must be an object");
    const json::object& ro = rates->as_object();
    static constexpr const char* kRates[] = {"connectionRefused", "lostResponse", "serverError", "softDecline",
                                             "hardDecline"};
    for (const auto& [key, value] : ro) {
      bool known = false;
      for (const char* k : kRates) known |= key == k;
      if (!known) throw std::invalid_argument("unknown failure rate " + std::string(key));
    }
    config.rates = {Rate(ro, "connectionRefused"), Rate(ro, "lostResponse"), Rate(ro, "serverError"),
                    Rate(ro, "softDecline"), Rate(ro, "hardDecline")};
    double sum = config.rates.connection_refused + config.rates.lost_response + config.rates.server_error +
                 config.rates.soft_decline + config.rates.hard_decline;
    if (sum > 1.0 + 1e-9) throw std::invalid_argument("failureRates must add up to at most 1");
  }
  if (const json::value* forced = o.if_contains("forcedErrors"); forced && !forced->is_null()) {
    if (!forced->is_array()) throw std::invalid_argument("forcedErrors must be an array");
    int index = 0;
    for (const auto& item : forced->as_array()) {
      std::string where = "forcedErrors[" + std::to_string(index++) + "].";
      if (!item.is_object()) throw std::invalid_argument(where + " must be an object");
      const json::object& fo = item.as_object();
      ForcedError f;
      f.sid = OptString(fo, "sid", where);
      f.partner_order_id = OptString(fo, "partnerOrderId", where);
      f.tid = OptString(fo, "tid", where);
      f.operation = OptString(fo, "operation", where);
      if (f.sid.empty() && f.partner_order_id.empty() && f.tid.empty()) {
        throw std::invalid_argument(where + " needs sid, partnerOrderId or tid");
      }
      if (!f.operation.empty()) {
        bool known = false;
        for (Operation op : {Operation::kReady, Operation::kApprove, Operation::kSubscription, Operation::kCancel,
                             Operation::kOrder, Operation::kSidInactive, Operation::kSidStatus}) {
          known |= OperationName(op) == f.operation;
        }
        if (!known) throw std::invalid_argument(where + "operation is unknown: " + f.operation);
      }
      std::string fault = OptString(fo, "fault", where);
      if (fault == "connectionRefused") {
        f.kind = FaultKind::kConnectionRefused;
      } else if (fault == "lostResponse") {
        f.kind = FaultKind::kLostResponse;
      } else if (fault == "serverError") {
        f.kind = FaultKind::kServerError;
      } else if (!fault.empty()) {
        throw std::invalid_argument(where + "fault must be connectionRefused, lostResponse or serverError");
      } else {
        f.error_code = OptInt(fo, "errorCode", 0, where);
        if (f.error_code >= 0) throw std::invalid_argument(where + "errorCode must be a negative KakaoPay code");
      }
      f.error_message = OptString(fo, "errorMessage", where);
      f.method_result_code = OptString(fo, "methodResultCode", where);
      f.method_result_message = OptString(fo, "methodResultMessage", where);
      f.times = OptInt(fo, "times", 1, where);
      config.forced.push_back(std::move(f));
    }
  }
  if (const json::value* seed = o.if_contains("seed"); seed && !seed->is_null()) {
    if (!seed->is_int64() && !seed->is_uint64()) throw std::invalid_argument("seed must be an integer");
    config.seed = seed->is_uint64() ? seed->as_uint64() : static_cast<std::uint64_t>(seed->as_int64());
  }
  return config;
}

}  // namespace pillivery::simulator
