#include "api/openapi_document.hpp"

#include "api/routes.hpp"
#include "http/middleware.hpp"

#include "infra/json_writer.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

namespace pillivery::api {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr std::string_view kOperationsFolder = "operations/";
constexpr const char* kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

std::runtime_error SourceError(std::string_view where, const std::string& what) {
  return std::runtime_error("src/api/openapi/" + std::string(where) + ": " + what);
}

object ParseFragment(const embedded::File& file) {
  boost::system::error_code ec;
  value parsed = boost::json::parse(file.content, ec);
  if (ec) throw SourceError(file.name, "not valid JSON (" + ec.message() + ")");
  if (!parsed.is_object()) throw SourceError(file.name, "must be a JSON object");
  return std::move(parsed.as_object());
}

// Objects merge member by member; any other value may be defined once only.
void DeepMerge(object& into, const object& from, std::string_view file, const std::string& where) {
  for (const auto& [key, v] : from) {
    std::string path = where + "/" + std::string(key);
    auto* existing = into.if_contains(key);
    if (!existing) {
      into[key] = v;
    } else if (existing->is_object() && v.is_object()) {
      DeepMerge(existing->as_object(), v.as_object(), file, path);
    } else {
      throw SourceError(file, path + " is defined twice");
    }
  }
}

// "GET /api/items/{id}" → ("GET", "/api/items/{id}").
std::optional<RouteKey> ParseOperationKey(std::string_view key) {
  auto space = key.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string method(key.substr(0, space));
  std::string path(key.substr(space + 1));
  if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods)) return std::nullopt;
  if (path.empty() || path.front() != '/' || path.find(' ') != std::string::npos) return std::nullopt;
  return RouteKey{method, path};
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// ITEM_NOT_FOUND → https://pillivery.dev/problems/item-not-found, as http/middleware writes it.
std::string ProblemType(std::string_view code) {
  std::string type = "https://pillivery.dev/problems/";
  for (char c : code) type += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

using ProblemSet = std::map<int, std::vector<std::string>>;  // status → codes, in order of first mention

void AddProblems(ProblemSet& set, const value& source, std::string_view where) {
  if (!source.is_object()) throw SourceError(where, "x-problems must map a status to a list of codes");
  for (const auto& [status_text, codes] : source.as_object()) {
    int status = std::atoi(std::string(status_text).c_str());
    if (status < 400 || status > 599 || !codes.is_array())
      throw SourceError(where, "x-problems must map a 4xx/5xx status to a list of codes");
    auto& list = set[status];
    for (const auto& code : codes.as_array()) {
      if (!code.is_string()) throw SourceError(where, "a problem code must be a string");
      std::string text(code.as_string());
      if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(text);
    }
  }
}

// The response of one status: problem+json whose `code` is one of `codes`, with an example per code.
object ProblemResponse(int status, const std::vector<std::string>& codes, const object& catalogue,
                       std::string_view where) {
  std::string description = http::StatusTitle(status);
  description += ": problem details (RFC 9457) with one of these codes.\n";
  object examples;
  array code_enum;
  for (const auto& code : codes) {
    const auto* entry = catalogue.if_contains(code);
    if (!entry || !entry->is_object())
      throw SourceError(where, "problem code " + code + " is not in x-problem-codes (problems.json)");
    const auto& e = entry->as_object();
    if (!e.contains("status") || e.at("status").to_number<int>() != status)
      throw SourceError(where, "problem code " + code + " is answered with status " + std::to_string(status) +
                                   " here but catalogued with another");
    std::string text(e.at("description").as_string());
    description.append("\n- `").append(code).append("`: ").append(text);
    std::string detail = e.contains("detail") ? std::string(e.at("detail").as_string()) : text;
    object example{{"type", ProblemType(code)},
                   {"title", http::StatusTitle(status)},
                   {"status", status},
                   {"detail", detail},
                   {"code", code},
                   {"errors", array{}}};
    if (const auto* errors = e.if_contains("errors")) example["errors"] = *errors;
    examples[code] = object{{"summary", code}, {"value", std::move(example)}};
    code_enum.emplace_back(code);
  }
  object schema{{"allOf", array{object{{"$ref", "#/components/schemas/Problem"}},
                                object{{"properties", object{{"code", object{{"enum", std::move(code_enum)}}}}}}}}};
  object response{{"description", std::move(description)},
                  {"content", object{{"application/problem+json",
                                      object{{"schema", std::move(schema)}, {"examples", std::move(examples)}}}}}};
  if (status == 401)
    response["headers"] = object{{"WWW-Authenticate", object{{"$ref", "#/components/headers/WwwAuthenticate"}}}};
  if (status == 429) response["headers"] = object{{"Retry-After", object{{"$ref", "#/components/headers/RetryAfter"}}}};
  return response;
}

// Expands an operation's x-problems (plus the document-wide ones) into responses. A
// document-wide status the operation answers itself (e.g. /health/ready's own 503) is left to it.
void ExpandProblems(object& operation, const object& document, const object& catalogue, const std::string& where) {
  auto* responses = operation.if_contains("responses");
  if (!responses || !responses->is_object()) throw SourceError(where, "has no responses");
  ProblemSet own, common;
  if (const auto* problems = operation.if_contains("x-problems")) AddProblems(own, *problems, where);
  if (const auto* problems = document.if_contains("x-common-problems")) AddProblems(common, *problems, where);
  if (operation.contains("requestBody"))
    if (const auto* problems = document.if_contains("x-body-problems")) AddProblems(common, *problems, where);
  operation.erase("x-problems");
  for (const auto& [status, codes] : own)
    if (responses->as_object().contains(std::to_string(status)))
      throw SourceError(where, "declares " + std::to_string(status) + " both in responses and in x-problems");
  for (const auto& [status, codes] : common) {
    if (responses->as_object().contains(std::to_string(status))) continue;
    auto& list = own[status];
    for (const auto& code : codes)
      if (std::find(list.begin(), list.end(), code) == list.end()) list.push_back(code);
  }
  for (const auto& [status, codes] : own)
    responses->as_object()[std::to_string(status)] = ProblemResponse(status, codes, catalogue, where);
}

array SecurityOf(Access access) {
  switch (access) {
    case Access::kPublic:
      return array{};
    case Access::kUser:
    case Access::kAdmin:
      return array{object{{"bearerAuth", array{}}}};
    case Access::kInternal:
      return array{object{{"internalToken", array{}}}};
  }
  return array{};
}

// Puts the route's security where an author would write it: before the
// parameters, the body and the responses.
void SetSecurity(object& operation, Access access, const std::string& where) {
  if (operation.contains("security"))
    throw SourceError(where, "declares security; it comes from the route's Access in src/api/routes.cpp");
  object ordered;
  bool placed = false;
  for (auto& [key, v] : operation) {
    if (!placed && (key == "parameters" || key == "requestBody" || key == "responses")) {
      ordered["security"] = SecurityOf(access);
      placed = true;
    }
    ordered[key] = std::move(v);
  }
  if (!placed) ordered["security"] = SecurityOf(access);
  operation = std::move(ordered);
}

struct Sources {
  object document;                                                    // every fragment outside operations/
  std::vector<std::tuple<RouteKey, object, std::string>> operations;  // key, operation, file
};

Sources ReadSources(std::span<const embedded::File> fragments) {
  Sources sources;
  std::map<RouteKey, std::string> seen;
  std::vector<const embedded::File*> ordered;
  for (const auto& file : fragments) ordered.push_back(&file);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (const auto* file : ordered) {
    object fragment = ParseFragment(*file);
    if (!file->name.starts_with(kOperationsFolder)) {
      DeepMerge(sources.document, fragment, file->name, "");
      continue;
    }
    for (auto& [key, operation] : fragment) {
      auto route = ParseOperationKey(key);
      if (!route) throw SourceError(file->name, "\"" + std::string(key) + "\" is not \"METHOD /path\"");
      if (!operation.is_object()) throw SourceError(file->name, std::string(key) + " must be an operation object");
      if (auto [it, inserted] = seen.emplace(*route, std::string(file->name)); !inserted)
        throw SourceError(file->name, std::string(key) + " is also defined in " + it->second);
      sources.operations.emplace_back(*route, std::move(operation.as_object()), std::string(file->name));
    }
  }
  return sources;
}

}  // namespace

boost::json::object BuildOpenApiDocument(std::span<const embedded::File> fragments, std::string_view version,
                                         const RouteAccess& access) {
  Sources sources = ReadSources(fragments);
  object document = std::move(sources.document);
  if (!document.contains("openapi")) throw SourceError("document.json", "has no \"openapi\" member");
  if (auto* info = document.if_contains("info"); info && info->is_object()) info->as_object()["version"] = version;
  object catalogue;
  if (const auto* codes = document.if_contains("x-problem-codes"); codes && codes->is_object())
    catalogue = codes->as_object();
  object paths;
  for (auto& [route, operation, file] : sources.operations) {
    std::string where = file + " " + route.first + " " + route.second;
    ExpandProblems(operation, document, catalogue, where);
    if (auto it = access.find(route); it != access.end()) SetSecurity(operation, it->second, where);
    auto& path_item = paths[route.second];
    if (!path_item.is_object()) path_item.emplace_object();
    path_item.as_object()[Lower(route.first)] = std::move(operation);
  }
  document.erase("x-common-problems");
  document.erase("x-body-problems");
  document["paths"] = std::move(paths);
  // The usual reading order: openapi, info, servers, tags, paths, components, then the rest.
  object ordered;
  for (const char* key : {"openapi", "info", "servers", "security", "tags", "paths", "components"})
    if (auto* v = document.if_contains(key)) ordered[key] = std::move(*v);
  for (auto& [key, v] : document)
    if (!ordered.contains(key)) ordered[key] = std::move(v);
  return ordered;
}

const boost::json::object& OpenApiDocument() {
  static const object kDocument = [] {
    RouteAccess access;
    for (const auto& route : RouteTable()) access[{route.method, route.pattern}] = route.access;
    return BuildOpenApiDocument(std::span(embedded::kOpenApiFragments, embedded::kOpenApiFragmentsCount),
                                PILLIVERY_VERSION, access);
  }();
  return kDocument;
}

const std::string& OpenApiJson() {
  static const std::string kJson = infra::ToJson(OpenApiDocument());
  return kJson;
}

std::vector<std::string> DocumentationGaps(const std::vector<RouteKey>& routes,
                                           std::span<const embedded::File> fragments) {
  std::map<RouteKey, std::string> entries;
  for (auto& [route, operation, file] : ReadSources(fragments).operations) entries.emplace(route, file);
  std::set<RouteKey> routed(routes.begin(), routes.end());
  std::vector<std::string> gaps;
  for (const auto& route : routed)
    if (!entries.contains(route))
      gaps.push_back("route " + route.first + " " + route.second +
                     " (src/api/routes.cpp) has no entry in src/api/openapi/operations/");
  for (const auto& [route, file] : entries)
    if (!routed.contains(route))
      gaps.push_back("entry " + route.first + " " + route.second + " (src/api/openapi/" + file +
                     ") has no route in src/api/routes.cpp");
  return gaps;
}

std::vector<std::string> DocumentationGaps(const std::vector<RouteKey>& routes) {
  return DocumentationGaps(routes, std::span(embedded::kOpenApiFragments, embedded::kOpenApiFragmentsCount));
}

}  // namespace pillivery::api
