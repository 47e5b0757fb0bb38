#include "infra/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace pillivery::infra {

namespace {

namespace json = boost::json;

// What follows the backslash for a byte that must be escaped; 0 for a byte
// copied as is, 'u' for \u00xx.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

constexpr char kHex[] = "0123456789abcdef";

std::uint64_t Load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Whether any byte of the word is below 0x20, '"' or '\\' (bytes of UTF-8
// sequences, 0x80 and up, are not). The usual SWAR tests: exact as to
// "any", which is all that is asked.
bool AnyToEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::uint64_t quote = word ^ (kOnes * '"');
  std::uint64_t backslash = word ^ (kOnes * '\\');
  std::uint64_t control = (word - kOnes * 0x20) & ~word;  // a byte < 0x20
  std::uint64_t is_quote = (quote - kOnes) & ~quote;      // a zero byte after the xor
  std::uint64_t is_backslash = (backslash - kOnes) & ~backslash;
  return ((control | is_quote | is_backslash) & kHighBits) != 0;
}

// Writes straight into the caller's string: grown (doubling) to a size with
// room, filled through a pointer, cut back to what was written at the end. No
// capacity check per byte, one per value or string.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {
    std::size_t used = out_.size();
    out_.resize(std::max(out_.capacity(), used + kInitialCapacity));
    Rebase(used);
  }
  ~Writer() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Value(const json::value& value) {
    switch (value.kind()) {
      case json::kind::null:
        Literal("null", 4);
        return;
      case json::kind::bool_:
        if (value.get_bool()) {
          Literal("true", 4);
        } else {
          Literal("false", 5);
        }
        return;
      case json::kind::int64:
        Integer(value.get_int64());
        return;
      case json::kind::uint64:
        Integer(value.get_uint64());
        return;
      case json::kind::double_:
        Double(value.get_double());
        return;
      case json::kind::string:
        String(value.get_string());
        return;
      case json::kind::array:
        Array(value.get_array());
        return;
      case json::kind::object:
        Object(value.get_object());
        return;
    }
  }

  void Array(const json::array& array) {
    Room(1);
    *p_++ = '[';
    bool first = true;
    for (const json::value& element : array) {
      if (!first) {
        Room(1);
        *p_++ = ',';
      }
      first = false;
      Value(element);
    }
    Room(1);
    *p_++ = ']';
  }

  void Object(const json::object& object) {
    Room(1);
    *p_++ = '{';
    bool first = true;
    for (const json::key_value_pair& member : object) {
      if (!first) {
        Room(1);
        *p_++ = ',';
      }
      first = false;
      String(member.key());
      *p_++ = ':';  // String() left room for it
      Value(member.value());
    }
    Room(1);
    *p_++ = '}';
  }

  void String(std::string_view text) {
    const char* run = text.data();  // start of the bytes not yet copied
    const char* p = run;
    const char* end = text.data() + text.size();
    Room(text.size() + 3);  // quotes, and the ':' Object() writes after a key
    *p_++ = '"';
    while (true) {
      // Eight bytes at a time while none of them needs escaping: most text.
      while (end - p >= 8 && !AnyToEscape(Load8(p))) p += 8;
      // Then byte by byte over the word that had one (or the tail).
      const char* stop = end - p >= 8 ? p + 8 : end;
      for (; p != stop; ++p) {
        auto byte = static_cast<unsigned char>(*p);
        char escape = kEscapes[byte];
        if (escape == 0) continue;
        Copy(run, p);
        Room(static_cast<std::size_t>(end - p) + 8);  // the escape, the rest, the quote and ':'
        *p_++ = '\\';
        if (escape == 'u') {
          *p_++ = 'u';
          *p_++ = '0';
          *p_++ = '0';
          *p_++ = kHex[byte >> 4];
          *p_++ = kHex[byte & 0xF];
        } else {
          *p_++ = escape;
        }
        run = p + 1;
      }
      if (p == end) break;
    }
    Copy(run, end);
    *p_++ = '"';
  }

 private:
  static constexpr std::size_t kInitialCapacity = 512;  // a small response without growing

  void Room(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) Grow(n);
  }
  void Grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(p_ - out_.data());
    out_.resize(std::max(out_.size() * 2, used + n));
    Rebase(used);
  }
  void Rebase(std::size_t used) {
    p_ = out_.data() + used;
    end_ = out_.data() + out_.size();
  }
  void Copy(const char* from, const char* to) {
    auto n = static_cast<std::size_t>(to - from);
    std::memcpy(p_, from, n);
    p_ += n;
  }
  void Literal(const char* text, std::size_t n) {
    Room(n);
    std::memcpy(p_, text, n);
    p_ += n;
  }

  template <typename Number>
  void Integer(Number number) {
    Room(24);
    p_ = std::to_chars(p_, end_, number).ptr;
  }

  void Double(double number) {
    if (!std::isfinite(number)) {
      Literal("null", 4);
      return;
    }
    // Longest outputs: "-0.00000012345678901234567" (fixed, 26) and
    // "-1.2345678901234567e-308" (scientific, 24), plus ".0".
    Room(40);
    if (std::signbit(number)) *p_++ = '-';
    double magnitude = std::fabs(number);
    if (FewDecimals(magnitude)) return;
    if (magnitude >= 1e-7 && magnitude < 1e21) {
      char* start = p_;
      p_ = std::to_chars(p_, end_, magnitude, std::chars_format::fixed).ptr;
      // A whole number has no point: keep it a double for the reader.
      if (!std::memchr(start, '.', static_cast<std::size_t>(p_ - start))) {
        *p_++ = '.';
        *p_++ = '0';
      }
    } else {
      p_ = std::to_chars(p_, end_, magnitude, std::chars_format::scientific).ptr;
    }
  }

  // The common doubles — whole numbers, prices, averages and rates with up to
  // three decimals below 1e9 — without std::to_chars(double), which costs
  // more than the rest of a small object. Writes what to_chars writes: when
  // m / 10^k == x in double arithmetic (both exact, division correctly
  // rounded), the decimal m·10^-k reads back as x; below 1e9 an ulp is under
  // 1.2e-7, so no other decimal with k or fewer places does, and trying k = 1,
  // 2, 3 in turn finds the shortest. Returns false to leave x to to_chars.
  bool FewDecimals(double x) {
    if (x < 9007199254740992.0 && x == std::trunc(x)) {  // whole, below 2^53: exact as an integer
      p_ = std::to_chars(p_, end_, static_cast<std::uint64_t>(x)).ptr;
      *p_++ = '.';
      *p_++ = '0';
      return true;
    }
    if (x >= 1e9) return false;
    constexpr double kScales[] = {10.0, 100.0, 1000.0};
    for (int places = 1; places <= 3; ++places) {
      double scale = kScales[places - 1];
      double scaled = std::round(x * scale);
      if (scaled / scale != x) continue;
      char digits[24];
      char* digits_end = std::to_chars(digits, digits + sizeof digits, static_cast<std::uint64_t>(scaled)).ptr;
      auto count = static_cast<int>(digits_end - digits);
      if (count > places) {  // 12.5: the whole part, the point, the decimals
        Copy(digits, digits_end - places);
        *p_++ = '.';
        Copy(digits_end - places, digits_end);
      } else {  // 0.05: "0.", the zeros, the digits
        *p_++ = '0';
        *p_++ = '.';
        for (int i = count; i < places; ++i) *p_++ = '0';
        Copy(digits, digits_end);
      }
      return true;
    }
    return false;
  }

  std::string& out_;
  char* p_ = nullptr;
  char* end_ = nullptr;
};

}  // namespace

void WriteJson(const json::value& value, std::string& out) { Writer(out).Value(value); }
void WriteJson(const json::object& object, std::string& out) { Writer(out).Object(object); }
void WriteJson(const json::array& array, std::string& out) { Writer(out).Array(array); }
void WriteJsonString(std::string_view text, std::string& out) { Writer(out).String(text); }

std::string ToJson(const json::value& value) {
  std::string out;
  WriteJson(value, out);
  return out;
}

std::string ToJson(const json::object& object) {
  std::string out;
  WriteJson(object, out);
  return out;
}

std::string ToJson(const json::array& array) {
  std::string out;
  WriteJson(array, out);
  return out;
}

}  // namespace pillivery::infra
