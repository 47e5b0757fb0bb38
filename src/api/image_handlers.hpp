#pragma once
#include "domain/user.hpp"
#include "http/message.hpp"
#include "service/catalog/item_image_service.hpp"

namespace pillivery::api {

// /images/items/{id}.svg (generated packshot), /images/items/{id} (uploaded
// image) and the admin upload PUT /api/admin/items/{id}/image.
class ImageHandlers {
 public:
  explicit ImageHandlers(service::ItemImageService& images) : images_(images) {}

  http::Response Get(http::Request& request);
  http::Response Upload(http::Request& request, const domain::Principal& admin);

 private:
  service::ItemImageService& images_;
};

}  // namespace pillivery::api
