#pragma once
// Serves a built single-page app (web/dist) from a directory: files by path,
// index.html for client routes, long-lived caching for content-hashed assets.
#include "http/message.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::http {

class StaticFiles {
 public:
  // root: the directory holding index.html. reserved: path prefixes that never
  // fall back to index.html (the API, health, metrics, ...): they answer 404.
  StaticFiles(const std::filesystem::path& root, std::vector<std::string> reserved);

  // GET/HEAD of any path no route matched.
  Response Serve(const Request& request) const;

  // The media type of a file name, from its extension.
  static std::string ContentTypeOf(std::string_view name);
  // "assets/index-3fA9_b1c.js": Vite names built assets by content hash.
  static bool IsHashedAsset(std::string_view relative_path);

 private:
  Response FileResponse(const std::filesystem::path& file, std::string_view relative) const;
  bool Reserved(std::string_view path) const;

  std::filesystem::path root_;
  std::vector<std::string> reserved_;
};

}  // namespace pillivery::http
