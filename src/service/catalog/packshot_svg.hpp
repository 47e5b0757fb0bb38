#pragma once
// Deterministic product images: an SVG "packshot" drawn from the item itself,
// so every item has an image that loads without an image host.
#include "domain/item.hpp"

#include <string>
#include <string_view>

namespace pillivery::service {

enum class ProductForm { kCapsule, kTablet, kPowder, kLiquid };

// The form named by the public-data shape text (캡슐, 정제, 분말/과립, 액상...).
ProductForm FormOfShape(std::string_view shape);
const char* CodeOf(ProductForm form);

// The same item always gives the same bytes: colours come from its id, the
// drawing from its form, the label from its name and brand.
std::string PackshotSvg(const domain::Item& item);

// Where an item's image is: its stored URL, or the generated packshot when none is stored.
std::string ThumbnailUrlOf(std::int64_t item_id, const std::string& stored_url);

}  // namespace pillivery::service
