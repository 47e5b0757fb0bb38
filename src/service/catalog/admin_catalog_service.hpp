#pragma once
// Catalog management by admins: create, update (price, discount, stock,
// status, images, text) and hide items. Every change invalidates the item's
// cached views through the injected callback.
#include "domain/item.hpp"
#include "storage/item_repository.hpp"

#include <functional>
#include <optional>

namespace pillivery::service {

struct ItemPatch {
  std::optional<std::string> product_name, enterprise, report_no, main_function, thumbnail_url, description_image_url,
      intake, caution, storage, standard, raw_materials, shape, distribution_period;
  std::optional<std::int64_t> origin_price;
  std::optional<int> discount_rate_tenths;
  std::optional<std::int64_t> stock;
  std::optional<domain::ItemStatus> status;
};

class AdminCatalogService {
 public:
  using Invalidate = std::function<void(std::int64_t item_id)>;
  AdminCatalogService(storage::ItemRepository& items, Invalidate invalidate)
      : items_(items), invalidate_(std::move(invalidate)) {}

  // productName, enterprise and originPrice are required.
  domain::Item Create(const ItemPatch& patch);
  domain::Item Update(std::int64_t id, const ItemPatch& patch);
  // Hides the item (orders keep referring to it, so it is never deleted).
  void Hide(std::int64_t id);
  // Every item, HIDDEN ones too, filtered and paged (newest first).
  storage::ItemPage List(const domain::AdminItemQuery& query) { return items_.AdminList(query); }

 private:
  storage::ItemRepository& items_;
  Invalidate invalidate_;
};

}  // namespace pillivery::service
