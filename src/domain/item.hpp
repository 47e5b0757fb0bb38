#pragma once
// The catalog item and its pure rules: categories from mainFunction and price math.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::domain {

enum class Category { kEye, kBone, kBrain, kIntestine, kLiver, kSkin, kAntioxidant, kFatigue, kImmune, kEtc };

inline constexpr Category kAllCategories[] = {
    Category::kEye,  Category::kBone,        Category::kBrain,   Category::kIntestine, Category::kLiver,
    Category::kSkin, Category::kAntioxidant, Category::kFatigue, Category::kImmune,    Category::kEtc};

std::string_view CodeOf(Category category);                    // "EYE"
std::string_view LabelOf(Category category);                   // "눈"
std::optional<Category> ParseCategory(std::string_view code);  // case-insensitive

// Every category whose keyword occurs in mainFunction; ETC when none does.
std::vector<Category> ClassifyMainFunction(std::string_view main_function);

enum class ItemStatus { kOnSale, kHidden };
std::string_view CodeOf(ItemStatus status);
std::optional<ItemStatus> ParseItemStatus(std::string_view code);

// Discount rate in tenths of a percent (0..1000) so it is exact: 12.5% is 125.
struct Price {
  std::int64_t origin = 0;
  int rate_tenths = 0;
  std::int64_t Discount() const;  // round-half-up(origin × rate / 100)
  std::int64_t Real() const { return origin - Discount(); }
};

// "12.5" → 125; nullopt when not a number in [0, 100] with at most one decimal.
std::optional<int> ParseDiscountRate(std::string_view text);
double RateAsPercent(int rate_tenths);

struct Item {
  std::int64_t id = 0;
  std::string product_name;
  std::string enterprise;
  std::optional<std::string> report_no;
  std::string registered_date;  // YYYY-MM-DD or empty
  std::string distribution_period;
  std::string shape;
  std::string intake;
  std::string main_function;
  std::string caution;
  std::string storage;
  std::string standard;
  std::string raw_materials;
  std::vector<Category> categories;
  Price price;
  std::int64_t stock = 0;
  std::string thumbnail_url;
  std::string description_image_url;
  std::int64_t sales = 0;
  std::int64_t views = 0;
  std::int64_t review_count = 0;
  std::int64_t star_sum = 0;
  ItemStatus status = ItemStatus::kOnSale;
  std::string created_at;

  double StarAvg() const {
    return review_count == 0 ? 0.0 : static_cast<double>(star_sum) / static_cast<double>(review_count);
  }
};

}  // namespace pillivery::domain
