#include "payment/outcome.hpp"
#include "payment/gateway.hpp"

namespace pillivery::payment {

std::string_view OutcomeName(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kSuccess:
      return "success";
    case OutcomeKind::kHardDecline:
      return "hard_decline";
    case OutcomeKind::kSoftDecline:
      return "soft_decline";
    case OutcomeKind::kDuplicate:
      return "duplicate";
    case OutcomeKind::kUnknown:
      return "unknown";
    case OutcomeKind::kConnectFailure:
      return "connect_failure";
    case OutcomeKind::kServerError:
      return "server_error";
    case OutcomeKind::kCircuitOpen:
      return "circuit_open";
    case OutcomeKind::kBulkheadFull:
      return "bulkhead_full";
  }
  return "unknown";
}

bool IsGatewayFailure(OutcomeKind kind) {
  return kind == OutcomeKind::kConnectFailure || kind == OutcomeKind::kUnknown || kind == OutcomeKind::kServerError;
}

bool NothingWasSent(OutcomeKind kind) {
  return kind == OutcomeKind::kConnectFailure || kind == OutcomeKind::kCircuitOpen ||
         kind == OutcomeKind::kBulkheadFull;
}

domain::Error GatewayUnavailableError(std::string detail) {
  return domain::Error(domain::ErrorCode::kPaymentGatewayUnavailable, std::move(detail));
}

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
    case Operation::kSidInactivate:
      return "sid_inactivate";
    case Operation::kSidStatus:
      return "sid_status";
  }
  return "";
}

}  // namespace pillivery::payment
