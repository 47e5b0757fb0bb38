#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/catalog/review_service.hpp"

namespace pillivery::api {

class ReviewHandlers {
 public:
  explicit ReviewHandlers(service::ReviewService& reviews) : reviews_(reviews) {}

  http::Response List(http::Request& request);  // public
  http::Response Create(http::Request& request, const domain::Principal& caller);
  http::Response Update(http::Request& request, const domain::Principal& caller);
  http::Response Delete(http::Request& request, const domain::Principal& caller);

 private:
  service::ReviewService& reviews_;
};

}  // namespace pillivery::api
