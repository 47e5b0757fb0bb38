#include "service/reactions/event_handlers.hpp"

#include "infra/log.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/cart_repository.hpp"
#include "storage/item_repository.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace pillivery::service {

namespace {

std::int64_t Int(const boost::json::object& o, const char* key) { return o.at(key).to_number<std::int64_t>(); }
std::string Str(const boost::json::object& o, const char* key) { return std::string(o.at(key).as_string()); }

// Gateway outcomes that mean "try this event again later".
bool Transient(payment::OutcomeKind kind) {
  using payment::OutcomeKind;
  return kind == OutcomeKind::kUnknown || kind == OutcomeKind::kConnectFailure || kind == OutcomeKind::kServerError ||
         kind == OutcomeKind::kCircuitOpen || kind == OutcomeKind::kBulkheadFull;
}

}  // namespace

void RegisterEventHandlers(events::OutboxProcessor& processor, payment::Gateway& gateway, Notifier& notifier,
                           const EventHandlerSettings& settings) {
  // Sales are additive: the processed-events fence makes a redelivery a no-op.
  processor.Handle(kEventSalesCount, "sales-count", [](const events::Event& e, storage::UnitOfWork& work) {
    // One statement for every item of the event (a billing group's event names many).
    std::map<std::int64_t, std::int64_t> sold;
    for (const auto& line : e.payload.at("items").as_array())
      sold[Int(line.as_object(), "itemId")] += Int(line.as_object(), "quantity");
    storage::ItemRepository::AddSales(work, sold);
  });

  processor.Handle(kEventCartCleanup, "cart-cleanup", [](const events::Event& e, storage::UnitOfWork& work) {
    auto kind = domain::ParseCartKind(Str(e.payload, "kind"));
    if (!kind) return;  // no cart of that kind: nothing to clean
    std::vector<std::int64_t> items;
    for (const auto& item : e.payload.at("itemIds").as_array()) items.push_back(item.to_number<std::int64_t>());
    storage::CartRepository::RemoveItems(work, Int(e.payload, "userId"), *kind, items);
  });

  processor.HandleExternal(kEventSidInactivate, "sid-inactivate", [&gateway, settings](const events::Event& e) {
    payment::SidRequest request{settings.recurring_cid, Str(e.payload, "sid")};
    auto result = gateway.InactivateSid(request);
    if (Transient(result.Kind())) throw std::runtime_error("SID inactivation not confirmed: " + result.Describe());
    // Declines here (-751 already inactive, -750 unknown) leave nothing to do.
    infra::LogInfo("sid inactivated", {{"subscriptionId", e.aggregate_id}, {"outcome", result.Describe()}});
  });

  processor.HandleExternal(kEventRefund, "gateway-refund", [&gateway, settings](const events::Event& e) {
    payment::CancelRequest request;
    request.cid = e.payload.contains("cid") ? Str(e.payload, "cid") : settings.one_time_cid;
    request.tid = Str(e.payload, "tid");
    request.cancel_amount = Int(e.payload, "amount");
    request.cancel_tax_free_amount = 0;
    // Idempotent across redeliveries: if the gateway already shows the refunded
    // total this event leads to, the refund happened (a crash lost our record).
    if (e.payload.contains("refundedTotalAfter")) {
      auto lookup = gateway.OrderLookup({request.cid, request.tid});
      if (lookup.Ok() && lookup.Response().canceled_amount.total >= Int(e.payload, "refundedTotalAfter")) return;
    }
    auto result = gateway.Cancel(request);
    if (result.Ok() || result.Kind() == payment::OutcomeKind::kDuplicate) {
      infra::LogInfo("refunded", {{"orderId", e.aggregate_id}, {"amount", request.cancel_amount}});
      return;
    }
    if (Transient(result.Kind())) throw std::runtime_error("refund not confirmed: " + result.Describe());
    // A refund the gateway refuses for good (e.g. already cancelled, -784) needs a person: dead-letter it.
    throw std::runtime_error("refund refused: " + result.Describe());
  });

  processor.HandleExternal(kEventNotify, "notify",
                           [&notifier](const events::Event& e) { notifier.Send(std::to_string(e.id), e.payload); });
}

}  // namespace pillivery::service
