#pragma once
// How services record follow-up work in the unit of work of the change that
// causes it (the outbox). A plain callable so services do not depend on the
// events module's internals.
#include "storage/unit_of_work.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <string>

namespace pillivery::service {

using EventSink = std::function<void(storage::UnitOfWork& work, const std::string& type,
                                     const std::string& aggregate_id, boost::json::object payload)>;

// Event types handled by the outbox processor.
inline constexpr const char* kEventSalesCount = "sales.count";                     // {items: [{itemId, quantity}]}
inline constexpr const char* kEventCartCleanup = "cart.cleanup";                   // {userId, kind, itemIds}
inline constexpr const char* kEventRefund = "payment.refund";                      // {orderId, tid, cid, amount}
inline constexpr const char* kEventSidInactivate = "subscription.sid.inactivate";  // {subscriptionId, sid, cid}
inline constexpr const char* kEventNotify = "notification.send";                   // {userId, kind, ...}
inline constexpr const char* kEventApprovalResolve = "payment.approval.resolve";   // {orderId}
inline constexpr const char* kEventRefundSettle = "payment.refund.settle";         // {orderId, paymentId, amount}

}  // namespace pillivery::service
