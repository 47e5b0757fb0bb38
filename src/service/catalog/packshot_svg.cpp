#include "service/catalog/packshot_svg.hpp"

#include <cstdint>
#include <vector>

namespace pillivery::service {

namespace {

std::string EscapeXml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

// UTF-8 code points, so Korean names are cut between characters, never inside one.
std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
    if (i + n > text.size()) n = text.size() - i;
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

// At most two lines of `width` characters; an ellipsis when the name is longer.
std::vector<std::string> LabelLines(std::string_view name, std::size_t width) {
  auto chars = CodePoints(name);
  std::vector<std::string> lines;
  std::size_t i = 0;
  while (i < chars.size() && lines.size() < 2) {
    std::string line;
    std::size_t end = std::min(chars.size(), i + width);
    for (std::size_t k = i; k < end; ++k) line += chars[k];
    i = end;
    if (lines.size() == 1 && i < chars.size()) line += "…";
    lines.push_back(line);
  }
  return lines;
}

std::uint32_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return static_cast<std::uint32_t>(x);
}

std::string Hsl(int hue, int saturation, int lightness) {
  return "hsl(" + std::to_string(hue) + "," + std::to_string(saturation) + "%," + std::to_string(lightness) + "%)";
}

std::string Drawing(ProductForm form, const std::string& main, const std::string& accent) {
  switch (form) {
    case ProductForm::kCapsule:
      return "<g transform='rotate(-30 240 200)'>"
             "<rect x='150' y='160' width='180' height='80' rx='40' fill='" +
             main +
             "'/>"
             "<path d='M240 160h50a40 40 0 0 1 0 80h-50z' fill='" +
             accent +
             "'/>"
             "<rect x='165' y='172' width='60' height='12' rx='6' fill='#fff' opacity='.45'/></g>"
             "<g transform='rotate(20 330 270)'><rect x='290' y='250' width='110' height='48' rx='24' fill='" +
             accent + "' opacity='.85'/></g>";
    case ProductForm::kTablet:
      return "<ellipse cx='220' cy='205' rx='95' ry='95' fill='" + main +
             "'/>"
             "<ellipse cx='220' cy='195' rx='95' ry='90' fill='" +
             accent +
             "'/>"
             "<line x1='140' y1='195' x2='300' y2='195' stroke='" +
             main +
             "' stroke-width='8' stroke-linecap='round'/>"
             "<ellipse cx='330' cy='275' rx='50' ry='40' fill='" +
             main + "' opacity='.8'/>";
    case ProductForm::kPowder:
      return "<path d='M170 110h140l-10 200h-120z' fill='" + main +
             "'/>"
             "<rect x='165' y='95' width='150' height='26' rx='6' fill='" +
             accent +
             "'/>"
             "<path d='M250 330c30-40 90-40 120 0z' fill='" +
             accent +
             "' opacity='.8'/>"
             "<rect x='190' y='170' width='100' height='70' rx='8' fill='#fff' opacity='.6'/>";
    case ProductForm::kLiquid:
      return "<rect x='215' y='70' width='50' height='40' rx='6' fill='" + accent +
             "'/>"
             "<path d='M200 110h80v30c30 10 40 30 40 60v110a20 20 0 0 1-20 20h-120a20 20 0 0 1-20-20v-110c0-30 "
             "10-50 40-60z' fill='" +
             main +
             "'/>"
             "<rect x='180' y='200' width='120' height='70' rx='8' fill='#fff' opacity='.6'/>"
             "<circle cx='330' cy='300' r='18' fill='" +
             accent + "' opacity='.8'/>";
  }
  return {};
}

}  // namespace

ProductForm FormOfShape(std::string_view shape) {
  auto has = [&](std::string_view word) { return shape.find(word) != std::string_view::npos; };
  if (has("캡슐") || has("capsule")) return ProductForm::kCapsule;
  if (has("액") || has("시럽") || has("음료") || has("liquid")) return ProductForm::kLiquid;
  if (has("분말") || has("과립") || has("가루") || has("powder")) return ProductForm::kPowder;
  return ProductForm::kTablet;  // 정제, 환, 편상 and anything unnamed
}

const char* CodeOf(ProductForm form) {
  switch (form) {
    case ProductForm::kCapsule:
      return "capsule";
    case ProductForm::kTablet:
      return "tablet";
    case ProductForm::kPowder:
      return "powder";
    case ProductForm::kLiquid:
      return "liquid";
  }
  return "tablet";
}

std::string PackshotSvg(const domain::Item& item) {
  auto bits = Mix(static_cast<std::uint64_t>(item.id));
  int hue = static_cast<int>(bits % 360);
  auto form = FormOfShape(item.shape);
  std::string background = Hsl(hue, 60, 94), main = Hsl(hue, 55, 55), accent = Hsl((hue + 40) % 360, 65, 70);
  std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 480 480' width='480' height='480' role='img' "
      "aria-label='" +
      EscapeXml(item.product_name) + "' data-form='" + CodeOf(form) +
      "'>"
      "<rect width='480' height='480' fill='" +
      background + "'/>" + Drawing(form, main, accent) +
      "<g font-family='Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, sans-serif' text-anchor='middle'>";
  auto lines = LabelLines(item.product_name, 14);
  int y = 392;
  for (const auto& line : lines) {
    svg += "<text x='240' y='" + std::to_string(y) + "' font-size='28' font-weight='700' fill='#1f2933'>" +
           EscapeXml(line) + "</text>";
    y += 34;
  }
  auto brand = LabelLines(item.enterprise, 22);
  if (!brand.empty())
    svg += "<text x='240' y='" + std::to_string(lines.size() > 1 ? 462 : 440) + "' font-size='18' fill='#52606d'>" +
           EscapeXml(brand.front()) + "</text>";
  svg += "</g></svg>";
  return svg;
}

std::string ThumbnailUrlOf(std::int64_t item_id, const std::string& stored_url) {
  if (!stored_url.empty()) return stored_url;
  return "/images/items/" + std::to_string(item_id) + ".svg";
}

}  // namespace pillivery::service
