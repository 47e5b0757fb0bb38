#include "api/image_handlers.hpp"

#include "api/item_json.hpp"
#include "api/params.hpp"
#include "domain/error.hpp"

#include <charconv>

namespace pillivery::api {

namespace {
domain::Error ImageNotFound() { return domain::Error(domain::ErrorCode::kImageNotFound, "No image has this name."); }

std::int64_t ParseId(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id < 1) throw ImageNotFound();
  return id;
}
}  // namespace

http::Response ImageHandlers::Get(http::Request& request) {
  std::string_view file = request.PathParam("file").value_or("");
  if (file.ends_with(".svg")) {
    auto id = ParseId(file.substr(0, file.size() - 4));
    auto response = http::Response::Text(200, images_.Packshot(id), "image/svg+xml");
    // Drawn from the name and shape, which admins may edit: cached for an hour.
    response.SetHeader("Cache-Control", "public, max-age=3600");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    return response;
  }
  auto image = images_.Find(ParseId(file));
  if (!image) throw ImageNotFound();
  auto response = http::Response::Text(200, std::move(image->bytes), image->content_type);
  // thumbnailUrl carries ?v=<content hash>: a versioned URL never changes.
  response.SetHeader("Cache-Control", request.QueryValue("v") ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

http::Response ImageHandlers::Upload(http::Request& request, const domain::Principal&) {
  auto id = PathId(request, "id");
  auto type = request.HeaderValue("Content-Type").value_or("");
  auto item = images_.Upload(id, type, request.body);
  return http::Response::Data(200, ItemDetailJson(item));
}

}  // namespace pillivery::api
