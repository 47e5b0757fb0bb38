#include "api/order_json.hpp"

#include "service/catalog/packshot_svg.hpp"

namespace pillivery::api {

namespace {
boost::json::object LineJson(const domain::PricedLine& line, bool with_stock) {
  boost::json::object out{{"itemId", line.item_id},
                          {"productName", line.product_name},
                          {"thumbnailUrl", service::ThumbnailUrlOf(line.item_id, line.thumbnail_url)},
                          {"quantity", line.quantity},
                          {"unitOriginPrice", line.unit_origin_price},
                          {"unitRealPrice", line.unit_real_price},
                          {"lineTotal", line.LineTotal()}};
  if (line.period) out["period"] = *line.period;
  if (with_stock) out["inStock"] = line.in_stock;
  return out;
}
void PutTotals(boost::json::object& out, const domain::Totals& t) {
  out["itemCount"] = t.item_count;
  out["totalOriginPrice"] = t.total_origin_price;
  out["totalDiscountPrice"] = t.total_discount_price;
  out["totalPrice"] = t.total_price;
}
}  // namespace

boost::json::object CartJson(const service::CartView& cart) {
  boost::json::array lines;
  for (const auto& line : cart.lines) lines.push_back(LineJson(line, true));
  boost::json::object out{{"kind", domain::CodeOf(cart.kind)}, {"lines", std::move(lines)}};
  PutTotals(out, cart.totals);
  return out;
}

boost::json::object OrderJson(const domain::Order& order) {
  boost::json::array lines, history;
  for (const auto& line : order.lines) lines.push_back(LineJson(line, false));
  for (const auto& change : order.history)
    history.push_back({{"status", domain::CodeOf(change.status)}, {"at", change.at}});
  boost::json::object out{
      {"orderId", order.id},
      {"type", domain::CodeOf(order.type)},
      {"status", domain::CodeOf(order.status)},
      {"lines", std::move(lines)},
      {"receiver",
       {{"name", order.receiver.name},
        {"phone", order.receiver.phone},
        {"city", order.receiver.city},
        {"detailAddress", order.receiver.detail_address}}},
      {"createdAt", order.created_at},
      {"statusHistory", std::move(history)},
  };
  PutTotals(out, order.totals);
  if (order.paid_at) out["paidAt"] = *order.paid_at;
  if (order.payment) {
    boost::json::object payment{{"provider", order.payment->provider},
                                {"tid", order.payment->tid},
                                {"amount", order.totals.total_price},
                                {"approvedAt", order.payment->approved_at},
                                {"refundedAmount", order.payment->refunded_amount}};
    // A renewal the gateway settled with its duplicate answer (-785): charged, but its tid was never learnt.
    if (order.payment->SettledByDuplicateAnswer()) {
      payment["tid"] = nullptr;
      payment["settledBy"] = "DUPLICATE_ANSWER";
    }
    out["payment"] = std::move(payment);
  }
  if (order.shipment) {
    boost::json::object shipment{{"carrier", order.shipment->carrier},
                                 {"trackingNumber", order.shipment->tracking_number},
                                 {"shippedAt", order.shipment->shipped_at}};
    if (order.shipment->delivered_at) shipment["deliveredAt"] = *order.shipment->delivered_at;
    out["shipment"] = std::move(shipment);
  }
  return out;
}

boost::json::object ReviewJson(const domain::Review& review) {
  return {{"reviewId", review.id},         {"itemId", review.item_id},  {"author", review.author},
          {"star", review.star},           {"content", review.content}, {"createdAt", review.created_at},
          {"updatedAt", review.updated_at}};
}

}  // namespace pillivery::api
