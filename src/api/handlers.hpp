#pragma once
// The handler objects the route table binds. app/ builds each with only the
// services it uses and hands this set to AddRoutes; the router keeps it alive.
#include "api/admin_handlers.hpp"
#include "api/admin_ops_handlers.hpp"
#include "api/auth_handlers.hpp"
#include "api/cart_handlers.hpp"
#include "api/catalog_handlers.hpp"
#include "api/fulfilment_handlers.hpp"
#include "api/image_handlers.hpp"
#include "api/internal_handlers.hpp"
#include "api/operations_handlers.hpp"
#include "api/order_handlers.hpp"
#include "api/payment_handlers.hpp"
#include "api/review_handlers.hpp"
#include "api/subscription_handlers.hpp"
#include "api/test_clock_handlers.hpp"
#include "api/user_handlers.hpp"

#include <memory>

namespace pillivery::api {

struct Handlers {
  std::shared_ptr<CatalogHandlers> catalog;
  std::shared_ptr<UserHandlers> users;
  std::shared_ptr<AuthHandlers> auth;
  std::shared_ptr<CartHandlers> carts;
  std::shared_ptr<OrderHandlers> orders;
  std::shared_ptr<PaymentHandlers> payments;
  std::shared_ptr<ReviewHandlers> reviews;
  std::shared_ptr<SubscriptionHandlers> subscriptions;
  std::shared_ptr<AdminHandlers> admin;
  std::shared_ptr<FulfilmentHandlers> fulfilment;
  std::shared_ptr<TestClockHandlers> test_clock;  // null unless PILLIVERY_TEST_CLOCK=true: no routes then
  std::shared_ptr<ImageHandlers> images;
  std::shared_ptr<InternalHandlers> internal;
  std::shared_ptr<AdminOpsHandlers> admin_ops;
  std::shared_ptr<OperationsHandlers> operations;
};

}  // namespace pillivery::api
