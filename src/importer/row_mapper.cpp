#include "importer/row_mapper.hpp"

#include <boost/json/value.hpp>

#include <cctype>
#include <initializer_list>

namespace pillivery::importer {
namespace {

// Column limits of the items table (VARCHAR(255) / VARCHAR(40) on MariaDB).
constexpr std::size_t kMaxNameChars = 255;
constexpr std::size_t kMaxReportNoChars = 40;

// The first non-empty field among the names the two APIs use for the same thing.
std::string Field(const boost::json::object& row, std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    const boost::json::value* v = row.if_contains(name);
    if (v == nullptr) continue;
    std::string text;
    if (v->is_string())
      text = std::string(v->get_string());
    else if (v->is_int64())
      text = std::to_string(v->get_int64());  // report numbers saved as numbers
    else if (v->is_uint64())
      text = std::to_string(v->get_uint64());
    text = NormalizeText(text);
    if (!text.empty()) return text;
  }
  return "";
}

bool IsBreakTag(std::string_view text, std::size_t at, std::size_t& length) {
  // <br>, <br/>, <br />, <BR> ...
  if (at + 3 >= text.size() || text[at] != '<') return false;
  if (std::tolower(static_cast<unsigned char>(text[at + 1])) != 'b' ||
      std::tolower(static_cast<unsigned char>(text[at + 2])) != 'r')
    return false;
  std::size_t i = at + 3;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i < text.size() && text[i] == '/') ++i;
  if (i < text.size() && text[i] == '>') {
    length = i + 1 - at;
    return true;
  }
  return false;
}

// Length of the whitespace sequence starting at `at`, or 0.
std::size_t SpaceAt(std::string_view s, std::size_t at) {
  unsigned char c = static_cast<unsigned char>(s[at]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return 1;
  if (c == 0xC2 && at + 1 < s.size() && static_cast<unsigned char>(s[at + 1]) == 0xA0) return 2;  // U+00A0
  if (c == 0xE3 && at + 2 < s.size() && static_cast<unsigned char>(s[at + 1]) == 0x80 &&
      static_cast<unsigned char>(s[at + 2]) == 0x80)
    return 3;  // U+3000
  return 0;
}

bool EndsWithSpace(std::string_view s, std::size_t& length) {
  if (s.empty()) return false;
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    if (s.size() >= n && SpaceAt(s, s.size() - n) == n) {
      length = n;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view DescribeSkip(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNoProductName:
      return "no product name";
    case SkipReason::kNoReportNo:
      return "no report number";
    case SkipReason::kReportNoTooLong:
      return "report number longer than 40 characters";
  }
  return "skipped";
}

std::string NormalizeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t tag = 0;
    if (text[i] == '\r') {
      out += '\n';
      i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    } else if (text[i] == '<' && IsBreakTag(text, i, tag)) {
      out += '\n';
      i += tag;
    } else {
      out += text[i++];
    }
  }
  std::size_t begin = 0;
  while (begin < out.size()) {
    std::size_t n = SpaceAt(out, begin);
    if (n == 0) break;
    begin += n;
  }
  std::string_view rest(out.data() + begin, out.size() - begin);
  std::size_t n = 0;
  while (EndsWithSpace(rest, n)) rest.remove_suffix(n);
  return std::string(rest);
}

std::string NormalizeDate(std::string_view text) {
  auto digits = [](std::string_view s) {
    for (char c : s)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  std::string y, m, d;
  if (text.size() >= 8 && digits(text.substr(0, 8)) &&
      (text.size() == 8 || !std::isdigit(static_cast<unsigned char>(text[8])))) {
    y = text.substr(0, 4), m = text.substr(4, 2), d = text.substr(6, 2);
  } else if (text.size() >= 10 && text[4] == '-' && text[7] == '-' && digits(text.substr(0, 4)) &&
             digits(text.substr(5, 2)) && digits(text.substr(8, 2))) {
    y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  } else {
    return "";
  }
  int month = std::stoi(m), day = std::stoi(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return "";
  return y + "-" + m + "-" + d;
}

std::string TruncateUtf8(std::string text, std::size_t max_code_points) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (count == max_code_points) {
      text.resize(i);
      break;
    }
    ++count;
  }
  return text;
}

MappedRow MapRow(const boost::json::object& row) {
  MappedRow mapped;
  domain::Item item;
  item.product_name = TruncateUtf8(Field(row, {"PRDLST_NM", "PRDUCT"}), kMaxNameChars);
  if (item.product_name.empty()) {
    mapped.skip_reason = SkipReason::kNoProductName;
    return mapped;
  }
  std::string report_no = Field(row, {"PRDLST_REPORT_NO", "STTEMNT_NO"});
  if (report_no.empty()) {
    mapped.skip_reason = SkipReason::kNoReportNo;
    return mapped;
  }
  if (report_no.size() > kMaxReportNoChars) {
    mapped.skip_reason = SkipReason::kReportNoTooLong;
    return mapped;
  }
  item.report_no = std::move(report_no);
  item.enterprise = TruncateUtf8(Field(row, {"BSSH_NM", "ENTRPS"}), kMaxNameChars);
  item.registered_date = NormalizeDate(Field(row, {"PRMS_DT", "REGIST_DT"}));
  item.distribution_period = Field(row, {"POG_DAYCNT", "DISTB_PD"});
  // The shape code name (캡슐, 정제…) when present; data.go.kr rows only have the
  // appearance text (성상), which is the next best description of the form.
  item.shape = Field(row, {"PRDT_SHAP_CD_NM", "DISPOS", "SUNGSANG"});
  item.intake = Field(row, {"NTK_MTHD", "SRV_USE"});
  item.main_function = Field(row, {"PRIMARY_FNCLTY", "MAIN_FNCTN"});
  item.caution = Field(row, {"IFTKN_ATNT_MATR_CN", "INTAKE_HINT1"});
  item.storage = Field(row, {"CSTDY_MTHD", "PRSRV_PD"});
  item.standard = Field(row, {"STDR_STND", "BASE_STANDARD"});
  item.raw_materials = Field(row, {"RAWMTRL_NM"});
  item.categories = domain::ClassifyMainFunction(item.main_function);
  // Public data has no price: hidden until an admin (or the demo pricer) sets one.
  item.status = domain::ItemStatus::kHidden;
  mapped.item = std::move(item);
  return mapped;
}

}  // namespace pillivery::importer
