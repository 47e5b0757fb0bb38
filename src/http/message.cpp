#include "http/message.hpp"

#include "infra/json_writer.hpp"

namespace pillivery::http {

namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <typename Pairs>
std::optional<std::string_view> FindExact(const Pairs& pairs, std::string_view name) {
  for (const auto& [key, value] : pairs) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

template <typename Pairs>
std::optional<std::string_view> FindIgnoringCase(const Pairs& pairs, std::string_view name) {
  for (const auto& [key, value] : pairs) {
    if (IEquals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::HeaderValue(std::string_view name) const {
  return FindIgnoringCase(headers, name);
}

std::optional<std::string_view> Request::QueryValue(std::string_view name) const { return FindExact(query, name); }

std::optional<std::string_view> Request::PathParam(std::string_view name) const { return FindExact(path_params, name); }

void Response::SetHeader(std::string name, std::string value) {
  for (auto& header : headers) {
    if (IEquals(header.first, name)) {
      header.second = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::HeaderValue(std::string_view name) const {
  return FindIgnoringCase(headers, name);
}

Response Response::Json(int status, const boost::json::value& value) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = infra::ToJson(value);  // not boost::json::serialize: 4.02, not 4.02E0
  return response;
}

Response Response::Data(int status, const boost::json::value& value) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  // {"data": value} written around the value, not a copy of it in a new object.
  response.body.append(R"({"data":)");
  infra::WriteJson(value, response.body);
  response.body.push_back('}');
  return response;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

Response Response::Redirect(std::string location) {
  Response response;
  response.status = 302;
  response.content_type.clear();
  response.SetHeader("Location", std::move(location));
  return response;
}

}  // namespace pillivery::http
