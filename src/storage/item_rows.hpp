#pragma once
// The item columns and how a row of them becomes a domain::Item; shared by the
// files ItemRepository is spread over.
#include "domain/item.hpp"

#include <soci/soci.h>

namespace pillivery::storage {

// The list and catalog fields (ReadItem(r, false)); the detail columns add the
// product text and views (ReadItem(r, true)).
inline constexpr const char* kSummaryColumns =
    "items.id, items.product_name, items.enterprise, items.thumbnail_url, items.main_function, "
    "items.category_codes, items.origin_price, items.discount_rate, items.stock, items.sales, "
    "items.review_count, items.star_sum, items.status, items.created_at";

inline constexpr const char* kDetailColumns =
    "items.id, items.product_name, items.enterprise, items.thumbnail_url, items.main_function, "
    "items.category_codes, items.origin_price, items.discount_rate, items.stock, items.sales, "
    "items.review_count, items.star_sum, items.status, items.created_at, "
    "items.report_no, items.registered_date, items.distribution_period, items.shape, items.intake, "
    "items.caution, items.storage_method, items.standard, items.raw_materials, "
    "items.description_image_url, items.views";

domain::Item ReadItem(const soci::row& r, bool detail);

}  // namespace pillivery::storage
