#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/ordering/cart_service.hpp"

namespace pillivery::api {

// /api/carts/{kind}…: the caller's own carts.
class CartHandlers {
 public:
  explicit CartHandlers(service::CartService& carts) : carts_(carts) {}

  http::Response Get(http::Request& request, const domain::Principal& caller);
  http::Response AddLine(http::Request& request, const domain::Principal& caller);
  http::Response UpdateLine(http::Request& request, const domain::Principal& caller);
  http::Response RemoveLine(http::Request& request, const domain::Principal& caller);

 private:
  service::CartService& carts_;
};

}  // namespace pillivery::api
