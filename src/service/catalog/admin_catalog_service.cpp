#include "service/catalog/admin_catalog_service.hpp"

#include "domain/error.hpp"

namespace pillivery::service {

using domain::Error;
using domain::ErrorCode;

namespace {

void Apply(const ItemPatch& p, domain::Item& item) {
  auto set = [](auto& field, const auto& value) {
    if (value) field = *value;
  };
  set(item.product_name, p.product_name);
  set(item.enterprise, p.enterprise);
  if (p.report_no) item.report_no = p.report_no->empty() ? std::nullopt : p.report_no;
  set(item.main_function, p.main_function);
  set(item.thumbnail_url, p.thumbnail_url);
  set(item.description_image_url, p.description_image_url);
  set(item.intake, p.intake);
  set(item.caution, p.caution);
  set(item.storage, p.storage);
  set(item.standard, p.standard);
  set(item.raw_materials, p.raw_materials);
  set(item.shape, p.shape);
  set(item.distribution_period, p.distribution_period);
  set(item.price.origin, p.origin_price);
  set(item.price.rate_tenths, p.discount_rate_tenths);
  set(item.stock, p.stock);
  set(item.status, p.status);
  if (p.main_function) item.categories = domain::ClassifyMainFunction(item.main_function);
}

void Validate(const ItemPatch& p, bool creating) {
  domain::Validator v;
  auto text = [&](const std::optional<std::string>& value, const char* field, size_t max, bool required) {
    if (!value) {
      if (required) v.Add(field, "required");
      return;
    }
    v.Check((!required || !value->empty()) && value->size() <= max, field,
            "must be " + std::string(required ? "1" : "0") + " to " + std::to_string(max) + " bytes");
  };
  text(p.product_name, "productName", 255, creating);
  text(p.enterprise, "enterprise", 255, creating);
  text(p.report_no, "reportNo", 40, false);
  text(p.thumbnail_url, "thumbnailUrl", 1000, false);
  text(p.description_image_url, "descriptionImageUrl", 1000, false);
  if (creating && !p.origin_price) v.Add("originPrice", "required");
  if (p.origin_price)
    v.Check(*p.origin_price >= 0 && *p.origin_price <= 1'000'000'000, "originPrice",
            "must be from 0 to 1000000000 won");
  if (p.stock) v.Check(*p.stock >= 0 && *p.stock <= 1'000'000'000, "stock", "must be from 0 to 1000000000");
  v.ThrowIfAny();
}

Error NotFound(std::int64_t id) {
  return Error(ErrorCode::kItemNotFound, "No item with id " + std::to_string(id) + ".");
}

}  // namespace

domain::Item AdminCatalogService::Create(const ItemPatch& patch) {
  Validate(patch, true);
  domain::Item item;
  Apply(patch, item);
  item.categories = domain::ClassifyMainFunction(item.main_function);
  std::int64_t id = items_.Insert(item);  // 409 REPORT_NO_TAKEN
  if (invalidate_) invalidate_(id);
  return *items_.FindById(id, true);
}

domain::Item AdminCatalogService::Update(std::int64_t id, const ItemPatch& patch) {
  Validate(patch, false);
  auto item = items_.FindById(id, true);
  if (!item) throw NotFound(id);
  Apply(patch, *item);
  if (!items_.Update(*item)) throw NotFound(id);  // 409 REPORT_NO_TAKEN
  if (invalidate_) invalidate_(id);
  return *items_.FindById(id, true);
}

void AdminCatalogService::Hide(std::int64_t id) {
  ItemPatch patch;
  patch.status = domain::ItemStatus::kHidden;
  Update(id, patch);
}

}  // namespace pillivery::service
