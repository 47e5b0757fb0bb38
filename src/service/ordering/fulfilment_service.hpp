#pragma once
// Fulfilment (issue #12 item 8): the admin's queue of PAID orders to ship
// (oldest first, renewals included), shipping with carrier and tracking number,
// and marking delivered. The customer sees both in the order and its history.
#include "domain/fulfilment.hpp"
#include "infra/clock.hpp"
#include "service/reactions/event_sink.hpp"
#include "storage/order_repository.hpp"
#include "storage/unit_of_work.hpp"

namespace pillivery::service {

class FulfilmentService {
 public:
  // events: the customer's ORDER_SHIPPED notice, written with the shipment.
  FulfilmentService(storage::Database& db, storage::OrderRepository& orders, const infra::Clock& clock,
                    EventSink events = {})
      : db_(db), orders_(orders), clock_(clock), events_(std::move(events)) {}

  storage::OrderPage Queue(const domain::PageRequest& page);
  // 400 for a bad carrier/tracking number, 404 ORDER_NOT_FOUND, 409 ORDER_NOT_SHIPPABLE.
  domain::Order Ship(std::int64_t order_id, const domain::ShipRequest& request);
  // 404 ORDER_NOT_FOUND, 409 ORDER_NOT_DELIVERABLE.
  domain::Order Deliver(std::int64_t order_id);

 private:
  domain::Order Find(std::int64_t order_id);
  storage::Database& db_;
  storage::OrderRepository& orders_;
  const infra::Clock& clock_;
  EventSink events_;
};

}  // namespace pillivery::service
