#pragma once
// JSON text for clients and logs. Boost.JSON 1.81's serializer writes every
// double in exponent form (4.02 → 4.02E0); this writer does not. Boost.JSON
// still parses and builds the values.
//
// Output is byte for byte what boost::json::serialize writes, except doubles:
// - shortest round-trip decimal (std::to_chars): 4.02, 12.5, 0.1, -3.5
//   (exact with a correctly rounded reader, e.g. std::from_chars; Boost.JSON
//   1.81's parser may land one ulp off on 16-17 digit values, as it does on
//   serialize's own output);
// - a whole double keeps a ".0" (100.0, 0.0, -0.0), so it reads back as a
//   double, not an integer (Boost.JSON, Jackson, serde...);
// - exponent form only outside 1e-7 <= |x| < 1e21, as JavaScript prints
//   numbers: 1e+21, 5e-324, 1e-08;
// - NaN and ±infinity, which JSON cannot express, as null.
// Strings: `"`, `\` and control characters escaped (\n \r \t \b \f, else
// \u00xx); every other byte, UTF-8 included, is copied unchanged.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace pillivery::infra {

// Appends the JSON text of `value` to `out`.
void WriteJson(const boost::json::value& value, std::string& out);
void WriteJson(const boost::json::object& object, std::string& out);
void WriteJson(const boost::json::array& array, std::string& out);
// Appends `text` as a quoted, escaped JSON string.
void WriteJsonString(std::string_view text, std::string& out);

std::string ToJson(const boost::json::value& value);
std::string ToJson(const boost::json::object& object);
std::string ToJson(const boost::json::array& array);

}  // namespace pillivery::infra
