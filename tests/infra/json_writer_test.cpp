#include "infra/json_writer.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace pillivery::infra {
namespace {

namespace json = boost::json;

std::string Json(double number) { return ToJson(json::value(number)); }

TEST(JsonWriter, WritesEveryKindOfScalar) {
  EXPECT_EQ(ToJson(json::value(nullptr)), "null");
  EXPECT_EQ(ToJson(json::value(true)), "true");
  EXPECT_EQ(ToJson(json::value(false)), "false");
  EXPECT_EQ(ToJson(json::value(0)), "0");
  EXPECT_EQ(ToJson(json::value(-42)), "-42");
  EXPECT_EQ(ToJson(json::value(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(ToJson(json::value(std::numeric_limits<std::int64_t>::max())), "9223372036854775807");
  EXPECT_EQ(ToJson(json::value(std::numeric_limits<std::uint64_t>::max())), "18446744073709551615");
  EXPECT_EQ(ToJson(json::value("text")), R"("text")");
  EXPECT_EQ(ToJson(json::value(json::string())), R"("")");
  EXPECT_EQ(ToJson(json::value(json::array())), "[]");
  EXPECT_EQ(ToJson(json::value(json::object())), "{}");
}

TEST(JsonWriter, WritesDoublesAsShortestPlainDecimals) {
  EXPECT_EQ(Json(4.02), "4.02");
  EXPECT_EQ(Json(12.5), "12.5");
  EXPECT_EQ(Json(0.1), "0.1");
  EXPECT_EQ(Json(-3.5), "-3.5");
  EXPECT_EQ(Json(0.05), "0.05");
  EXPECT_EQ(Json(-0.001), "-0.001");
  EXPECT_EQ(Json(123456.789), "123456.789");
  EXPECT_EQ(Json(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(Json(1234567890.25), "1234567890.25");
  EXPECT_EQ(Json(0.0001234), "0.0001234");
  EXPECT_EQ(Json(1e-7), "0.0000001");
  EXPECT_EQ(Json(1e20), "100000000000000000000.0");
}

TEST(JsonWriter, KeepsAPointOnWholeDoubles_SoTheyReadBackAsDoubles) {
  EXPECT_EQ(Json(100.0), "100.0");
  EXPECT_EQ(Json(4.0), "4.0");
  EXPECT_EQ(Json(0.0), "0.0");
  EXPECT_EQ(Json(-0.0), "-0.0");
  EXPECT_EQ(Json(-7.0), "-7.0");
  EXPECT_EQ(Json(9007199254740992.0), "9007199254740992.0");  // 2^53
  EXPECT_EQ(Json(9007199254740994.0), "9007199254740994.0");
  EXPECT_TRUE(json::parse(Json(100.0)).is_double());
}

TEST(JsonWriter, WritesHugeAndTinyMagnitudesWithAnExponent) {
  EXPECT_EQ(Json(1e21), "1e+21");
  EXPECT_EQ(Json(-1e21), "-1e+21");
  EXPECT_EQ(Json(1e300), "1e+300");
  EXPECT_EQ(Json(5e-324), "5e-324");
  EXPECT_EQ(Json(1e-8), "1e-08");
  EXPECT_EQ(Json(-2.5e-10), "-2.5e-10");
  EXPECT_EQ(Json(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  for (double d : {1e21, 1e300, 5e-324, 1e-8, -2.5e-10, std::numeric_limits<double>::max()}) {
    json::value back = json::parse(Json(d));  // a valid JSON number
    ASSERT_TRUE(back.is_double()) << d;
    EXPECT_EQ(back.as_double(), d);
  }
}

TEST(JsonWriter, WritesNullForNaNAndInfinity_WhichJsonCannotExpress) {
  EXPECT_EQ(Json(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(Json(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(Json(-std::numeric_limits<double>::infinity()), "null");
  json::object o{{"avg", std::nan("")}, {"list", json::array{1.5, HUGE_VAL}}};
  EXPECT_EQ(ToJson(o), R"({"avg":null,"list":[1.5,null]})");
}

// Whatever the path inside (whole numbers and up to three decimals are written
// without std::to_chars), the text is what std::to_chars writes, and reads back
// as the same double.
TEST(JsonWriter, WritesTheSameDigitsAsToCharsAndRoundTripsExactly) {
  auto expected = [](double d) {
    char buffer[400];
    char* end;
    double magnitude = std::fabs(d);
    if (magnitude == 0 || (magnitude >= 1e-7 && magnitude < 1e21)) {
      end = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::fixed).ptr;
      if (!std::memchr(buffer, '.', static_cast<std::size_t>(end - buffer))) end = std::strcpy(end, ".0") + 2;
    } else {
      end = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::scientific).ptr;
    }
    return std::string(buffer, end);
  };
  int failures = 0;
  auto check = [&](double d) {
    if (!std::isfinite(d)) return;
    std::string text = Json(d);
    double back = 0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    if ((text != expected(d) || back != d) && ++failures <= 10) ADD_FAILURE() << text << " for " << expected(d);
  };
  for (int i = -100'000; i <= 100'000; ++i) {
    check(i / 10.0);
    check(i / 100.0);
    check(i / 1000.0);
    check(i * 0.01);
    check(i * 12345.678);
  }
  for (double d : {999999999.999, 1e9 - 0.01, 1e9, 1e9 + 0.5, 0.0005, 0.0015, 9.999e-8, 1e21 - 65536.0}) check(d);
  std::mt19937_64 random(20240611);
  for (int i = 0; i < 100'000; ++i) {
    std::uint64_t bits = random();
    double any;
    std::memcpy(&any, &bits, sizeof any);
    check(any);
    double price = std::uniform_real_distribution<double>(0, 1e9)(random);
    check(price);
    check(std::round(price * 100) / 100);
    check(std::round(price * 1000) / 1000);
  }
  EXPECT_EQ(failures, 0);
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(ToJson(json::value("say \"hi\" \\ bye")), R"("say \"hi\" \\ bye")");
  EXPECT_EQ(ToJson(json::value("a\nb\rc\td\be\ff")), R"("a\nb\rc\td\be\ff")");
  EXPECT_EQ(ToJson(json::value(json::string("\x01\x1f\x00", 3))), R"("\u0001\u001f\u0000")");
  EXPECT_EQ(ToJson(json::value("/ and \x7f stay")), "\"/ and \x7f stay\"");
  EXPECT_EQ(ToJson(json::object{{"k\"e\ny", 1}}), R"({"k\"e\ny":1})");
}

TEST(JsonWriter, PassesUtf8ThroughUnchanged) {
  const std::string korean = "루테인 지아잔틴 — 눈 건강에 도움 😀";
  EXPECT_EQ(ToJson(json::value(korean)), "\"" + korean + "\"");
  EXPECT_EQ(ToJson(json::object{{"상품명", "홍삼정\t에브리타임"}}), "{\"상품명\":\"홍삼정\\t에브리타임\"}");
}

// Strings are scanned eight bytes at a time: an escape at any offset, in
// Korean or ASCII text of any length, comes out where it was.
TEST(JsonWriter, EscapesAtEveryOffsetOfLongStrings) {
  for (const std::string& filler :
       {std::string("abcdefghijklmnopqrstuvwxyz0123"), std::string("가나다라마바사아자차")}) {
    for (std::size_t length = 0; length <= filler.size(); ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        for (const char* special : {"\"", "\\", "\n", "\x02"}) {
          std::string text = filler.substr(0, length);
          text.insert(at, special);
          text.insert(0, special);
          EXPECT_EQ(ToJson(json::value(text)), json::serialize(json::value(text))) << length << " " << at;
        }
      }
    }
  }
}

TEST(JsonWriter, WritesNestedContainersInOrder) {
  json::value v = json::parse(R"({"a":[1,{"b":[]},{}],"c":{"d":null,"e":[true,false,[[]]]},"f":"g"})");
  EXPECT_EQ(ToJson(v), R"({"a":[1,{"b":[]},{}],"c":{"d":null,"e":[true,false,[[]]]},"f":"g"})");
  EXPECT_EQ(ToJson(v.as_object()), ToJson(v));
  EXPECT_EQ(ToJson(v.at("a").as_array()), R"([1,{"b":[]},{}])");
}

// Apart from doubles, byte for byte what boost::json::serialize writes: every
// ASCII character, UTF-8, integers, and output long enough to grow the string.
TEST(JsonWriter, MatchesBoostSerializeForEverythingButDoubles) {
  std::string ascii;
  for (int c = 0; c < 128; ++c) ascii.push_back(static_cast<char>(c));
  json::array items;
  for (int i = 0; i < 2000; ++i) {
    items.push_back(json::object{{"itemId", i},
                                 {"productName", "밀크씨슬 130 \"간 건강\""},
                                 {"ascii", ascii},
                                 {"sales", static_cast<std::uint64_t>(i) * 1'000'000'007ULL},
                                 {"inStock", i % 2 == 0},
                                 {"tags", json::array{"EYE", nullptr, -i}}});
  }
  json::value v = json::object{{"data", std::move(items)}, {"", json::object{}}};
  EXPECT_EQ(ToJson(v), json::serialize(v));
}

TEST(JsonWriter, WriteJsonAppendsToWhatIsThere) {
  std::string out = "prefix:";
  WriteJson(json::value(json::array{1, 2.5, "x"}), out);
  EXPECT_EQ(out, R"(prefix:[1,2.5,"x"])");
  std::string big;
  big.reserve(10'000);
  big = "{\"data\":";
  WriteJson(json::object{{"starAvg", 4.5}}, big);
  big.push_back('}');
  EXPECT_EQ(big, R"({"data":{"starAvg":4.5}})");
  std::string quoted;
  WriteJsonString("a\"b", quoted);
  EXPECT_EQ(quoted, R"("a\"b")");
}

TEST(JsonWriter, RoundTripsThroughBoostParse_IntsStayIntsAndDoublesStayDoubles) {
  json::value v = json::parse(R"({
    "itemId": 7, "negative": -12, "big": 18446744073709551615, "starAvg": 4.02, "discountRate": 12.5,
    "whole": 100.0, "zero": 0.0, "small": 0.1, "huge": 1e300, "tiny": 5e-324, "neg": -3.5,
    "name": "루테인 \"지아잔틴\"\n", "flags": [true, false, null], "nested": {"list": [1, 2.25, {"x": []}]}
  })");
  std::string text = ToJson(v);
  json::value back = json::parse(text);
  EXPECT_EQ(back, v) << text;
  EXPECT_TRUE(back.at("itemId").is_int64());
  EXPECT_TRUE(back.at("big").is_uint64());
  EXPECT_TRUE(back.at("whole").is_double());
  EXPECT_TRUE(back.at("zero").is_double());
  EXPECT_EQ(text.find('E'), std::string::npos) << text;
}

}  // namespace
}  // namespace pillivery::infra
