#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/billing/subscription_service.hpp"

namespace pillivery::api {

boost::json::object SubscriptionJson(const domain::Subscription& s);
boost::json::object ChargeJson(const storage::Charge& c);

// /api/subscriptions…: the caller's own subscriptions.
class SubscriptionHandlers {
 public:
  explicit SubscriptionHandlers(service::SubscriptionService& subscriptions) : subscriptions_(subscriptions) {}

  http::Response List(http::Request& request, const domain::Principal& caller);
  http::Response Get(http::Request& request, const domain::Principal& caller);
  http::Response Update(http::Request& request, const domain::Principal& caller);
  http::Response Skip(http::Request& request, const domain::Principal& caller);
  http::Response Pause(http::Request& request, const domain::Principal& caller);
  http::Response Resume(http::Request& request, const domain::Principal& caller);
  http::Response Cancel(http::Request& request, const domain::Principal& caller);
  http::Response Charges(http::Request& request, const domain::Principal& caller);

 private:
  service::SubscriptionService& subscriptions_;
};

http::Response SubscriptionPageResponse(const storage::SubscriptionPage& page, const domain::PageRequest& request);

}  // namespace pillivery::api
