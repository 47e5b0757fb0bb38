#pragma once
// Wire shapes of carts, orders and reviews (product.md §2 Representations).
#include "domain/order.hpp"
#include "domain/review.hpp"
#include "service/ordering/cart_service.hpp"

#include <boost/json/object.hpp>

namespace pillivery::api {

boost::json::object CartJson(const service::CartView& cart);
boost::json::object OrderJson(const domain::Order& order);
boost::json::object ReviewJson(const domain::Review& review);

}  // namespace pillivery::api
