#pragma once
// Fault injection for the payment endpoints: latency, random failures by kind,
// and errors forced for one sid / order / tid. Decides what should go wrong;
// the payment routes (payment_routes.cpp) carry it out.
#include "simulator/model.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::simulator {

enum class Operation { kReady, kApprove, kSubscription, kCancel, kOrder, kSidInactive, kSidStatus };
std::string_view OperationName(Operation op);

enum class FaultKind {
  kNone,
  kConnectionRefused,  // answer nothing, do nothing
  kLostResponse,       // do it (and record it), then answer nothing
  kServerError,        // 500, nothing done
  kError,              // a KakaoPay error answer (declines, forced codes), nothing done
};

struct FailureRates {
  double connection_refused = 0;
  double lost_response = 0;
  double server_error = 0;
  double soft_decline = 0;  // approve/subscription only
  double hard_decline = 0;  // approve/subscription only
};

struct ForcedError {
  // Every key given must match; at least one is required.
  std::string sid;
  std::string partner_order_id;
  std::string tid;
  std::string operation;  // empty: approve, subscription and cancel
  FaultKind kind = FaultKind::kError;
  int error_code = 0;
  std::string error_message;
  std::string method_result_code;
  std::string method_result_message;
  int times = 1;  // negative: every time
};

struct FaultConfig {
  int latency_ms = 0;
  int latency_jitter_ms = 0;  // latency is uniform in [latency_ms, latency_ms + jitter]
  FailureRates rates;
  std::vector<ForcedError> forced;
  std::optional<std::uint64_t> seed;  // reproducible draws when set
};

struct FaultDecision {
  std::chrono::milliseconds latency{0};
  FaultKind kind = FaultKind::kNone;
  std::optional<GatewayError> error;  // for kError
  std::string label;                  // what was injected, e.g. "softDecline", "forced"
};

// The ids a request carries, for matching forced errors.
struct RequestKeys {
  std::string sid;
  std::string partner_order_id;
  std::string tid;
};

class FaultInjector {
 public:
  FaultInjector();
  void Configure(FaultConfig config);
  void Reset() { Configure({}); }
  FaultDecision Decide(Operation op, const RequestKeys& keys);
  // The configuration with the forced errors still pending, and counts of injected faults.
  boost::json::value Describe() const;
  // Calls decided so far: a call is decided when it arrives, before its latency
  // (tests wait on it instead of sleeping).
  long Decisions() const {
    std::lock_guard lock(mutex_);
    return decisions_;
  }

 private:
  mutable std::mutex mutex_;
  FaultConfig config_;
  std::mt19937_64 rng_;
  std::map<std::string, long> injected_;
  long decisions_ = 0;
};

// Parses the body of POST /__faults; throws std::invalid_argument naming the bad field.
FaultConfig ParseFaultConfig(const boost::json::value& body);

}  // namespace pillivery::simulator
