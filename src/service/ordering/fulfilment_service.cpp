#include "service/ordering/fulfilment_service.hpp"

namespace pillivery::service {

domain::Order FulfilmentService::Find(std::int64_t order_id) {
  auto order = orders_.Find(order_id);
  if (!order)
    throw domain::Error(domain::ErrorCode::kOrderNotFound, "No order with id " + std::to_string(order_id) + ".");
  return *order;
}

storage::OrderPage FulfilmentService::Queue(const domain::PageRequest& page) { return orders_.PaidOldestFirst(page); }

domain::Order FulfilmentService::Ship(std::int64_t order_id, const domain::ShipRequest& request) {
  domain::Validator v;
  domain::ValidateShipRequest(request, v);
  v.ThrowIfAny();
  const domain::Order order = Find(order_id);
  domain::CheckShippable(order);
  // The update is conditional on PAID: if a cancel or a refund won meanwhile,
  // the order as it is now says why it cannot ship. The customer's notice goes with the shipment.
  bool shipped = false;
  {
    storage::UnitOfWork work(db_);
    shipped = orders_.MarkShipped(work, order_id, request, infra::FormatIsoTime(clock_.Now()));
    if (shipped && events_)
      events_(work, kEventNotify, std::to_string(order_id),
              {{"kind", "ORDER_SHIPPED"},
               {"userId", order.user_id},
               {"orderId", order_id},
               {"carrier", request.carrier},
               {"trackingNumber", request.tracking_number}});
    if (shipped) work.Commit();
  }
  if (!shipped) domain::CheckShippable(Find(order_id));
  return Find(order_id);
}

domain::Order FulfilmentService::Deliver(std::int64_t order_id) {
  domain::CheckDeliverable(Find(order_id));
  if (!orders_.MarkDelivered(order_id, infra::FormatIsoTime(clock_.Now()))) domain::CheckDeliverable(Find(order_id));
  return Find(order_id);
}

}  // namespace pillivery::service
