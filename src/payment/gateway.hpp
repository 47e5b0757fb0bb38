#pragma once
// The KakaoPay operations as one interface: KakaoPayClient speaks HTTP,
// ResilientGateway wraps any Gateway with breaker, retry and bulkhead, and
// tests substitute fakes.
#include "payment/kakaopay_types.hpp"
#include "payment/outcome.hpp"

#include <string_view>

namespace pillivery::payment {

enum class Operation { kReady, kApprove, kSubscription, kCancel, kOrder, kSidInactivate, kSidStatus };
// "ready", "approve", "subscription", "cancel", "order", "sid_inactivate", "sid_status".
std::string_view OperationName(Operation op);

class Gateway {
 public:
  virtual ~Gateway() = default;
  virtual Result<ReadyResponse> Ready(const ReadyRequest& request) = 0;
  virtual Result<ApproveResponse> Approve(const ApproveRequest& request) = 0;
  // The recurring charge (`subscription` endpoint) on a SID.
  virtual Result<ApproveResponse> ChargeSubscription(const SubscriptionChargeRequest& request) = 0;
  virtual Result<CancelResponse> Cancel(const CancelRequest& request) = 0;
  virtual Result<OrderResponse> OrderLookup(const OrderLookupRequest& request) = 0;
  virtual Result<SidInactivateResponse> InactivateSid(const SidRequest& request) = 0;
  virtual Result<SidStatusResponse> SidStatus(const SidRequest& request) = 0;
};

}  // namespace pillivery::payment
