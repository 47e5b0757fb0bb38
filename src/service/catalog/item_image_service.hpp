#pragma once
// Item images: the generated packshot of every item, and the image an admin
// uploads to replace it (PNG, JPEG or WebP, at most 2 MiB), kept on disk
// under {image_dir}/items/{id}.{png|jpg|webp}.
#include "service/catalog/admin_catalog_service.hpp"
#include "storage/item_repository.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace pillivery::service {

inline constexpr std::size_t kMaxItemImageBytes = 2 * 1024 * 1024;

struct ItemImage {
  std::string content_type;
  std::string bytes;
};

class ItemImageService {
 public:
  ItemImageService(storage::ItemRepository& items, AdminCatalogService& admin, std::filesystem::path image_dir)
      : items_(items), admin_(admin), dir_(std::move(image_dir)) {}

  // The generated SVG of any item, hidden ones included (the admin console
  // shows them); 404 ITEM_NOT_FOUND when there is no such item.
  std::string Packshot(std::int64_t item_id);

  // Checks the declared type against the bytes, stores the file and points the
  // item's thumbnailUrl at it (with a version so caches see the change).
  // 415 UNSUPPORTED_MEDIA_TYPE, 413 IMAGE_TOO_LARGE, 400 VALIDATION_FAILED,
  // 404 ITEM_NOT_FOUND; nothing changes when any of them is answered.
  domain::Item Upload(std::int64_t item_id, std::string_view content_type, std::string_view bytes);

  // The uploaded image of an item, if it has one.
  std::optional<ItemImage> Find(std::int64_t item_id) const;

 private:
  storage::ItemRepository& items_;
  AdminCatalogService& admin_;
  std::filesystem::path dir_;
};

}  // namespace pillivery::service
