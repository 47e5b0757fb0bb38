#include "domain/item.hpp"

#include <algorithm>
#include <cctype>

namespace pillivery::domain {
namespace {

struct CategoryInfo {
  Category category;
  std::string_view code;
  std::string_view label;
  std::vector<std::string_view> keywords;
};

const std::vector<CategoryInfo>& Infos() {
  static const std::vector<CategoryInfo> kInfos = {
      {Category::kEye, "EYE", "눈 건강", {"눈"}},
      {Category::kBone, "BONE", "뼈 건강", {"뼈", "골다공증"}},
      {Category::kBrain, "BRAIN", "두뇌 건강", {"두뇌", "기억력", "인지"}},
      {Category::kIntestine, "INTESTINE", "장 건강", {"배변", "장", "유산균"}},
      {Category::kLiver, "LIVER", "간 건강", {"간"}},
      {Category::kSkin, "SKIN", "피부 건강", {"피부"}},
      {Category::kAntioxidant, "ANTIOXIDANT", "항산화", {"항산화"}},
      {Category::kFatigue, "FATIGUE", "피로 개선", {"피로", "혈액순환"}},
      {Category::kImmune, "IMMUNE", "면역", {"면역"}},
      {Category::kEtc, "ETC", "기타", {"기타"}},
  };
  return kInfos;
}

const CategoryInfo& InfoOf(Category c) { return Infos()[static_cast<size_t>(c)]; }

}  // namespace

std::string_view CodeOf(Category category) { return InfoOf(category).code; }
std::string_view LabelOf(Category category) { return InfoOf(category).label; }

std::optional<Category> ParseCategory(std::string_view code) {
  for (const auto& info : Infos()) {
    if (info.code.size() == code.size() && std::equal(code.begin(), code.end(), info.code.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        }))
      return info.category;
  }
  return std::nullopt;
}

std::vector<Category> ClassifyMainFunction(std::string_view main_function) {
  std::vector<Category> result;
  for (const auto& info : Infos()) {
    if (info.category == Category::kEtc) continue;
    for (auto keyword : info.keywords) {
      if (main_function.find(keyword) != std::string_view::npos) {
        result.push_back(info.category);
        break;
      }
    }
  }
  if (result.empty()) result.push_back(Category::kEtc);
  return result;
}

std::string_view CodeOf(ItemStatus status) { return status == ItemStatus::kOnSale ? "ON_SALE" : "HIDDEN"; }

std::optional<ItemStatus> ParseItemStatus(std::string_view code) {
  if (code == "ON_SALE") return ItemStatus::kOnSale;
  if (code == "HIDDEN") return ItemStatus::kHidden;
  return std::nullopt;
}

std::int64_t Price::Discount() const {
  // origin × (rate_tenths / 10) / 100 = origin × rate_tenths / 1000, half up.
  return (origin * rate_tenths + 500) / 1000;
}

std::optional<int> ParseDiscountRate(std::string_view text) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int whole = 0, tenths = 0;
  size_t i = 0;
  bool any = false;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    whole = whole * 10 + (text[i] - '0');
    ++i;
    any = true;
  }
  if (!any) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.' || i + 2 != text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1])))
      return std::nullopt;
    tenths = text[i + 1] - '0';
  }
  int value = whole * 10 + tenths;
  if (value > 1000) return std::nullopt;
  return value;
}

double RateAsPercent(int rate_tenths) { return rate_tenths / 10.0; }

}  // namespace pillivery::domain
