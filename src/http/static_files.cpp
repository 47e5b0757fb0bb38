#include "http/static_files.hpp"

#include "http/middleware.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

namespace pillivery::http {

namespace {

// Only plain names: no "..", no ".", no empty segments, no backslashes or NULs.
bool SafeRelativePath(std::string_view path) {
  if (path.empty()) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    auto segment = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (char c : segment)
      if (c == '\\' || c == '\0' || c == ':') return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root, std::vector<std::string> reserved)
    : root_(std::filesystem::weakly_canonical(root)), reserved_(std::move(reserved)) {}

std::string StaticFiles::ContentTypeOf(std::string_view name) {
  auto dot = name.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool StaticFiles::IsHashedAsset(std::string_view relative_path) {
  // Vite: assets/{name}-{8 base64url characters}.{ext}, e.g. assets/OpsPage-H-0Fo6aN.js.
  if (!relative_path.starts_with("assets/")) return false;
  auto name = relative_path.substr(relative_path.rfind('/') + 1);
  auto dot = name.find('.');
  if (dot == std::string_view::npos || dot < 10) return false;
  auto stem = name.substr(0, dot);
  if (stem[stem.size() - 9] != '-') return false;
  for (auto c : stem.substr(stem.size() - 8))
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

bool StaticFiles::Reserved(std::string_view path) const {
  for (const auto& prefix : reserved_) {
    if (path == prefix) return true;
    if (path.starts_with(prefix) && path.size() > prefix.size() && path[prefix.size()] == '/') return true;
  }
  return false;
}

Response StaticFiles::FileResponse(const std::filesystem::path& file, std::string_view relative) const {
  Response response = Response::Text(200, ReadFile(file), ContentTypeOf(file.filename().string()));
  response.SetHeader("Cache-Control", IsHashedAsset(relative) ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

Response StaticFiles::Serve(const Request& request) const {
  const std::string& path = request.path;
  if (Reserved(path) || path.empty() || path.front() != '/')
    return ProblemResponse(404, "ROUTE_NOT_FOUND", "No route matches this path.");
  std::string_view relative = std::string_view(path).substr(1);
  if (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);
  if (!relative.empty()) {
    if (!SafeRelativePath(relative)) return ProblemResponse(404, "ROUTE_NOT_FOUND", "No such file.");
    std::error_code ec;
    auto file = std::filesystem::weakly_canonical(root_ / std::string(relative), ec);
    // Symlinks included: whatever the name resolves to must stay under the root.
    auto [root_end, file_it] = std::mismatch(root_.begin(), root_.end(), file.begin(), file.end());
    if (!ec && root_end == root_.end() && std::filesystem::is_regular_file(file, ec))
      return FileResponse(file, relative);
    // A missing file with an extension (a stale asset, favicon.ico) is a 404;
    // anything else is a client route of the app.
    auto last = relative.substr(relative.rfind('/') == std::string_view::npos ? 0 : relative.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) return ProblemResponse(404, "ROUTE_NOT_FOUND", "No such file.");
  }
  auto index = root_ / "index.html";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(index, ec))
    return ProblemResponse(404, "ROUTE_NOT_FOUND", "The web app is not built (no index.html in the web root).");
  return FileResponse(index, "index.html");
}

}  // namespace pillivery::http
