#include "domain/user.hpp"

#include <algorithm>
#include <cstring>

namespace pillivery::domain {

namespace {

constexpr std::size_t kEmailMaxLength = 254;  // RFC 5321 path limit
constexpr std::size_t kPasswordMin = 8;
constexpr std::size_t kPasswordMax = 64;
constexpr std::size_t kDisplayNameMin = 2;
constexpr std::size_t kDisplayNameMax = 20;
constexpr std::size_t kRealNameMax = 50;
constexpr std::size_t kCityMax = 100;
constexpr std::size_t kDetailAddressMax = 200;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSymbol(char c) { return c > ' ' && c < 0x7f && !IsAsciiAlpha(c) && !IsAsciiDigit(c); }

// Decodes UTF-8, rejecting overlongs, surrogates and anything past U+10FFFF.
bool DecodeUtf8(std::string_view text, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1;
      cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2;
      cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3;
      cp = b & 0x07;
    } else
      return false;
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += extra + 1;
  }
  return true;
}

// Free text: valid UTF-8 of [min, max] code points, no control characters,
// not blank at either end.
std::optional<std::string> TextProblem(std::string_view text, std::size_t min, std::size_t max) {
  std::vector<char32_t> cps;
  if (text.size() > max * 4 || !DecodeUtf8(text, cps)) {
    return text.size() > max * 4 ? "must be at most " + std::to_string(max) + " characters"
                                 : std::string("must be valid UTF-8");
  }
  if (cps.size() < min)
    return min == 1 ? std::string("must not be empty") : "must be at least " + std::to_string(min) + " characters";
  if (cps.size() > max) return "must be at most " + std::to_string(max) + " characters";
  for (char32_t cp : cps)
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return "must not contain control characters";
  if (cps.front() == ' ' || cps.back() == ' ') return "must not start or end with a space";
  return std::nullopt;
}

}  // namespace

std::string_view CodeOf(Role role) { return role == Role::kAdmin ? "ADMIN" : "USER"; }
std::string_view CodeOf(UserStatus status) { return status == UserStatus::kWithdrawn ? "WITHDRAWN" : "ACTIVE"; }

std::optional<Role> ParseRole(std::string_view code) {
  if (code == "USER") return Role::kUser;
  if (code == "ADMIN") return Role::kAdmin;
  return std::nullopt;
}
std::optional<UserStatus> ParseUserStatus(std::string_view code) {
  if (code == "ACTIVE") return UserStatus::kActive;
  if (code == "WITHDRAWN") return UserStatus::kWithdrawn;
  return std::nullopt;
}

std::string JoinRoles(const std::vector<Role>& roles) {
  std::string out;
  for (auto role : roles) {
    if (!out.empty()) out += ',';
    out += CodeOf(role);
  }
  return out;
}

std::vector<Role> SplitRoles(std::string_view codes) {
  std::vector<Role> out;
  while (!codes.empty()) {
    auto comma = codes.find(',');
    if (auto role = ParseRole(codes.substr(0, comma))) {
      if (std::find(out.begin(), out.end(), *role) == out.end()) out.push_back(*role);
    }
    if (comma == std::string_view::npos) break;
    codes.remove_prefix(comma + 1);
  }
  return out;
}

bool User::HasRole(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

bool User::ProfileComplete() const {
  return email && phone && !real_name.empty() && !city.empty() && !detail_address.empty();
}

bool Principal::IsAdmin() const { return std::find(roles.begin(), roles.end(), Role::kAdmin) != roles.end(); }

void RequireOwner(const Principal& principal, std::int64_t owner_user_id, ErrorCode not_found_code,
                  const std::string& detail) {
  if (principal.user_id != owner_user_id) throw Error(not_found_code, detail);
}

std::optional<std::size_t> Utf8Length(std::string_view text) {
  std::vector<char32_t> cps;
  if (!DecodeUtf8(text, cps)) return std::nullopt;
  return cps.size();
}

std::optional<std::string> EmailProblem(std::string_view email) {
  if (email.empty()) return "must not be empty";
  if (email.size() > kEmailMaxLength) return "must be at most 254 characters";
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return "must be an email address";
  auto local = email.substr(0, at);
  auto domain = email.substr(at + 1);
  if (local.size() > 64) return "must be an email address";
  static constexpr std::string_view kLocalSymbols = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local)
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && kLocalSymbols.find(c) == std::string_view::npos)
      return "must be an email address";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "must be an email address";
  // Domain: at least two dot-separated labels of letters, digits and inner hyphens.
  if (domain.find('.') == std::string_view::npos) return "must be an email address";
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return "must be an email address";
    for (char c : label)
      if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '-') return "must be an email address";
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

std::optional<std::string> PasswordProblem(std::string_view password) {
  static const std::string kRule = "must be 8-64 characters with a letter, a digit and a symbol";
  if (password.size() > kPasswordMax * 4) return kRule;
  auto length = Utf8Length(password);
  if (!length || *length < kPasswordMin || *length > kPasswordMax) return kRule;
  bool letter = false, digit = false, symbol = false;
  for (char c : password) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return "must not contain control characters";
    letter |= IsAsciiAlpha(c);
    digit |= IsAsciiDigit(c);
    symbol |= IsAsciiSymbol(c);
  }
  if (!letter || !digit || !symbol) return kRule;
  return std::nullopt;
}

std::optional<std::string> PhoneProblem(std::string_view phone) {
  // 01[016789]-?\d{3,4}-?\d{4}, written by hand: no regex on untrusted length.
  static const std::string kRule = "must be a Korean mobile number like 010-1234-5678";
  if (phone.size() < 10 || phone.size() > 13) return kRule;
  if (phone.substr(0, 2) != "01" || std::string_view("016789").find(phone[2]) == std::string_view::npos) return kRule;
  std::string_view rest = phone.substr(3);
  bool first_hyphen = !rest.empty() && rest.front() == '-';
  if (first_hyphen) rest.remove_prefix(1);
  // rest is now \d{3,4}-?\d{4}
  auto all_digits = [](std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsAsciiDigit); };
  if (rest.size() < 4) return kRule;
  std::string_view last = rest.substr(rest.size() - 4);
  std::string_view middle = rest.substr(0, rest.size() - 4);
  if (!middle.empty() && middle.back() == '-') middle.remove_suffix(1);
  if (!all_digits(last) || !all_digits(middle) || middle.size() < 3 || middle.size() > 4) return kRule;
  return std::nullopt;
}

std::optional<std::string> DisplayNameProblem(std::string_view name) {
  // Withdrawn accounts keep a "withdrawn-<id>" tombstone name (storage); no one else may take one.
  if (name.starts_with(kWithdrawnNamePrefix)) return "is reserved";
  return TextProblem(name, kDisplayNameMin, kDisplayNameMax);
}
std::optional<std::string> RealNameProblem(std::string_view name) { return TextProblem(name, 1, kRealNameMax); }
std::optional<std::string> CityProblem(std::string_view city) { return TextProblem(city, 1, kCityMax); }
std::optional<std::string> DetailAddressProblem(std::string_view detail) {
  return TextProblem(detail, 1, kDetailAddressMax);
}

std::string NormalizeEmail(std::string_view email) {
  std::string out(email);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string NormalizePhone(std::string_view phone) {
  std::string digits;
  for (char c : phone)
    if (IsAsciiDigit(c)) digits += c;
  if (digits.size() < 10) return std::string(phone);
  return digits.substr(0, 3) + "-" + digits.substr(3, digits.size() - 7) + "-" + digits.substr(digits.size() - 4);
}

SignUpRequest ValidateSignUp(SignUpRequest r) {
  Validator v;
  auto check = [&](const char* field, const std::optional<std::string>& problem) {
    if (problem) v.Add(field, *problem);
  };
  check("email", EmailProblem(r.email));
  check("password", PasswordProblem(r.password));
  check("displayName", DisplayNameProblem(r.display_name));
  check("realName", RealNameProblem(r.real_name));
  check("phone", PhoneProblem(r.phone));
  check("city", CityProblem(r.city));
  check("detailAddress", DetailAddressProblem(r.detail_address));
  v.ThrowIfAny();
  r.email = NormalizeEmail(r.email);
  r.phone = NormalizePhone(r.phone);
  return r;
}

ProfilePatch ValidateProfilePatch(ProfilePatch p, bool has_password) {
  Validator v;
  auto check = [&](const char* field, const std::optional<std::string>& value, auto rule) {
    if (value) {
      if (auto problem = rule(*value)) v.Add(field, *problem);
    }
  };
  check("displayName", p.display_name, DisplayNameProblem);
  check("realName", p.real_name, RealNameProblem);
  check("phone", p.phone, PhoneProblem);
  check("city", p.city, CityProblem);
  check("detailAddress", p.detail_address, DetailAddressProblem);
  check("password", p.password, PasswordProblem);
  if (p.password && has_password && !p.current_password) v.Add("currentPassword", "is required to change the password");
  v.ThrowIfAny();
  if (p.phone) p.phone = NormalizePhone(*p.phone);
  return p;
}

}  // namespace pillivery::domain
