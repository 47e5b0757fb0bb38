#include "simulator/wire_params.hpp"
#include "infra/json_writer.hpp"
#include "simulator/model.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace pillivery::simulator {
namespace json = boost::json;

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Scalar(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.as_string());
    case json::kind::int64:
      return std::to_string(v.as_int64());
    case json::kind::uint64:
      return std::to_string(v.as_uint64());
    case json::kind::double_: {
      double d = v.as_double();
      if (d == static_cast<double>(static_cast<long long>(d))) return std::to_string(static_cast<long long>(d));
      return infra::ToJson(v);
    }
    case json::kind::bool_:
      return v.as_bool() ? "true" : "false";
    default:
      return infra::ToJson(v);  // payload may be an object
  }
}

}  // namespace

Params ParseParams(const http::Request& request) {
  Params params;
  std::string_view body = request.body;
  std::size_t start = body.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && body[start] == '{') {
    json::error_code ec;
    json::value parsed = json::parse(body, ec);
    if (ec || !parsed.is_object()) throw GatewayError(codes::kInvalidParameter, "invalid JSON body");
    for (const auto& [key, value] : parsed.as_object()) {
      if (!value.is_null()) params[std::string(key)] = Scalar(value);
    }
    return params;
  }
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key = FormDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : FormDecode(pair.substr(eq + 1));
    params[key] = value;
  }
  return params;
}

std::string Get(const Params& params, const char* name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

std::optional<std::int64_t> GetInt(const Params& params, const char* name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  std::int64_t value = 0;
  const std::string& text = it->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw GatewayError(codes::kInvalidParameter, std::string(name) + " must be an integer");
  }
  return value;
}

}  // namespace pillivery::simulator
