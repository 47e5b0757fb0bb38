#include "service/catalog/item_image_service.hpp"

#include "domain/error.hpp"
#include "service/catalog/packshot_svg.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace pillivery::service {

namespace {

struct ImageType {
  const char* content_type;
  const char* extension;
};
constexpr std::array<ImageType, 3> kTypes{{{"image/png", "png"}, {"image/jpeg", "jpg"}, {"image/webp", "webp"}}};

bool LooksLike(std::string_view type, std::string_view bytes) {
  if (type == "image/png") return bytes.starts_with(std::string_view("\x89PNG\r\n\x1a\n", 8));
  if (type == "image/jpeg") return bytes.starts_with(std::string_view("\xFF\xD8\xFF", 3));
  if (type == "image/webp") return bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP";
  return false;
}

std::string Version(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return std::string(text, 12);
}

}  // namespace

std::string ItemImageService::Packshot(std::int64_t item_id) {
  auto item = items_.FindById(item_id, true);
  if (!item) throw domain::Error(domain::ErrorCode::kItemNotFound, "No item has this id.");
  return PackshotSvg(*item);
}

domain::Item ItemImageService::Upload(std::int64_t item_id, std::string_view content_type, std::string_view bytes) {
  auto base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  const ImageType* type = nullptr;
  for (const auto& t : kTypes)
    if (base == t.content_type) type = &t;
  if (!type)
    throw domain::Error(domain::ErrorCode::kUnsupportedMediaType,
                        "An item image must be image/png, image/jpeg or image/webp.");
  if (bytes.size() > kMaxItemImageBytes)
    throw domain::Error(domain::ErrorCode::kImageTooLarge, "An item image must be at most 2 MiB.");
  if (bytes.empty() || !LooksLike(type->content_type, bytes))
    throw domain::Error::Validation({{"image", std::string("the body is not a ") + type->content_type + " image"}});
  if (!items_.FindById(item_id, true)) throw domain::Error(domain::ErrorCode::kItemNotFound, "No item has this id.");

  auto folder = dir_ / "items";
  std::filesystem::create_directories(folder);
  auto target = folder / (std::to_string(item_id) + "." + type->extension);
  auto temporary = folder / (std::to_string(item_id) + "." + type->extension + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw domain::Error(domain::ErrorCode::kImageStoreFailed, "The image could not be stored.");
  }
  std::filesystem::rename(temporary, target);  // readers see the old file or the new one, never half
  for (const auto& t : kTypes) {
    if (t.extension == type->extension) continue;
    std::error_code ignored;
    std::filesystem::remove(folder / (std::to_string(item_id) + "." + t.extension), ignored);
  }
  ItemPatch patch;
  patch.thumbnail_url = "/images/items/" + std::to_string(item_id) + "?v=" + Version(bytes);
  return admin_.Update(item_id, patch);
}

std::optional<ItemImage> ItemImageService::Find(std::int64_t item_id) const {
  for (const auto& t : kTypes) {
    auto file = dir_ / "items" / (std::to_string(item_id) + "." + t.extension);
    std::ifstream in(file, std::ios::binary);
    if (!in) continue;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return ItemImage{t.content_type, std::move(bytes).str()};
  }
  return std::nullopt;
}

}  // namespace pillivery::service
