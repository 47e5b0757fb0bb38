#include "service/ordering/cart_service.hpp"

namespace pillivery::service {

using domain::CartKind;
using domain::Error;
using domain::ErrorCode;
using domain::Validator;

namespace {
domain::OrderType TypeOf(CartKind kind) {
  return kind == CartKind::kNormal ? domain::OrderType::kOneTime : domain::OrderType::kSubscription;
}
Error LineNotFound(std::int64_t item_id) {
  return Error(ErrorCode::kCartLineNotFound, "The cart has no line for item " + std::to_string(item_id) + ".");
}
}  // namespace

CartView CartService::Get(std::int64_t user_id, CartKind kind) {
  CartView view{kind, carts_.Lines(user_id, kind), {}};
  view.totals = domain::ComputeTotals(view.lines);
  return view;
}

CartView CartService::Add(std::int64_t user_id, CartKind kind, const domain::LineRequest& line) {
  Validator v;
  domain::ValidateLine(line, TypeOf(kind), v, "");
  v.ThrowIfAny();
  if (!items_.FindById(line.item_id))
    throw Error(ErrorCode::kItemNotFound, "No item with id " + std::to_string(line.item_id) + ".");
  carts_.AddLine(user_id, kind, line.item_id, line.quantity, line.period);
  return Get(user_id, kind);
}

CartView CartService::Update(std::int64_t user_id, CartKind kind, std::int64_t item_id, std::optional<int> quantity,
                             std::optional<int> period) {
  Validator v;
  if (!quantity && !period) v.Add("quantity", "give quantity and/or period");
  if (quantity)
    v.Check(*quantity >= domain::kMinQuantity && *quantity <= domain::kMaxQuantity, "quantity", "must be from 1 to 99");
  if (period && kind == CartKind::kNormal) v.Add("period", "only subscription cart lines have a period");
  if (period && kind == CartKind::kSubscription)
    v.Check(*period >= domain::kMinPeriodDays && *period <= domain::kMaxPeriodDays, "period",
            "must be from 7 to 180 days");
  v.ThrowIfAny();
  if (!carts_.UpdateLine(user_id, kind, item_id, quantity, period)) throw LineNotFound(item_id);
  return Get(user_id, kind);
}

CartView CartService::Remove(std::int64_t user_id, CartKind kind, std::int64_t item_id) {
  if (!carts_.RemoveLine(user_id, kind, item_id)) throw LineNotFound(item_id);
  return Get(user_id, kind);
}

}  // namespace pillivery::service
