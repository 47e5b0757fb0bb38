#pragma once
// What a gateway call can end in. Every call returns a Result<Response>: one of
// these alternatives, never an exception for a gateway answer, so the caller must
// decide for each one — above all for Unknown, where money may have moved.
#include "domain/error.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace pillivery::payment {

// The gateway accepted the call.
template <class R>
struct Success {
  R response;
};

// The gateway refused for good: retrying the same request cannot succeed
// (SID inactive, stolen card, request errors such as a wrong amount or state).
struct HardDecline {
  int code = 0;  // KakaoPay error_code; 0 when a 4xx came without a KakaoPay body
  std::string method_result_code;
  std::string message;
  long http_status = 0;
};

// The gateway refused for now: a later attempt may succeed (insufficient
// balance, limit exceeded, temporary card-company failures, -752).
struct SoftDecline {
  int code = 0;
  std::string method_result_code;
  std::string message;
  long http_status = 0;
};

// -785: the gateway has already seen this partner_order_id (charge) or cancel.
// Resolve it with a lookup instead of treating it as a failure.
struct Duplicate {
  std::string message;
};

// The request was (or may have been) sent and no usable answer came back: a
// timeout after sending, a reset, a 5xx without a gateway body, an unreadable
// success body. The money may or may not have moved; never re-send blindly.
struct Unknown {
  std::string reason;
};

// Nothing was sent: no connection could be made. Safe to try again.
struct ConnectFailure {
  std::string reason;
  int attempts = 1;
};

// A 5xx carrying a KakaoPay error body: the gateway itself says it failed.
// Not retried automatically; for a charge, the next cycle attempt reuses the
// same partner_order_id, so -785 protects against a double charge.
struct ServerError {
  long http_status = 0;
  int code = 0;
  std::string message;
};

// Produced only by ResilientGateway; nothing was sent.
struct CircuitOpen {
  std::chrono::milliseconds retry_after{0};
};
struct BulkheadFull {
  std::chrono::milliseconds waited{0};
};

// Same order as the variant alternatives below.
enum class OutcomeKind {
  kSuccess,
  kHardDecline,
  kSoftDecline,
  kDuplicate,
  kUnknown,
  kConnectFailure,
  kServerError,
  kCircuitOpen,
  kBulkheadFull,
};

// "success", "hard_decline", ... (the metric label values).
std::string_view OutcomeName(OutcomeKind kind);

// Outcomes that say the gateway is unhealthy (counted by the circuit breaker).
// Declines and duplicates are healthy answers.
bool IsGatewayFailure(OutcomeKind kind);

// Outcomes where the request certainly never reached the gateway.
bool NothingWasSent(OutcomeKind kind);

// The 503 the caller returns while the gateway is unavailable:
// PAYMENT_GATEWAY_UNAVAILABLE (kakaopay.md).
domain::Error GatewayUnavailableError(std::string detail = "The payment gateway is unavailable; try again later.");

template <class R>
class Result {
 public:
  using Variant = std::variant<Success<R>, HardDecline, SoftDecline, Duplicate, Unknown, ConnectFailure, ServerError,
                               CircuitOpen, BulkheadFull>;

  // Implicit from any alternative, so `return Unknown{"timeout"};` reads naturally.
  template <class T, class = std::enable_if_t<std::is_constructible_v<Variant, T&&>>>
  Result(T&& value) : value_(std::forward<T>(value)) {}  // NOLINT(google-explicit-constructor)

  OutcomeKind Kind() const { return static_cast<OutcomeKind>(value_.index()); }
  bool Ok() const { return Kind() == OutcomeKind::kSuccess; }

  // The success response; throws std::logic_error on any other outcome (a bug
  // in the caller, which must check Ok() first).
  const R& Response() const {
    if (const auto* s = std::get_if<Success<R>>(&value_)) return s->response;
    throw std::logic_error("payment::Result::Response() on a " + std::string(OutcomeName(Kind())) + " outcome");
  }

  template <class T>
  const T* Get() const {
    return std::get_if<T>(&value_);
  }
  const Variant& Value() const { return value_; }

  // One line for logs: the code, method result or reason, never secrets.
  std::string Describe() const {
    return std::visit(
        [](const auto& v) -> std::string {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, HardDecline> || std::is_same_v<T, SoftDecline>) {
            return std::to_string(v.code) + (v.method_result_code.empty() ? "" : " " + v.method_result_code) + ": " +
                   v.message;
          } else if constexpr (std::is_same_v<T, Duplicate>) {
            return v.message;
          } else if constexpr (std::is_same_v<T, Unknown> || std::is_same_v<T, ConnectFailure>) {
            return v.reason;
          } else if constexpr (std::is_same_v<T, ServerError>) {
            return "HTTP " + std::to_string(v.http_status) + " " + std::to_string(v.code) + ": " + v.message;
          } else {
            return "";
          }
        },
        value_);
  }

 private:
  Variant value_;
};

}  // namespace pillivery::payment
