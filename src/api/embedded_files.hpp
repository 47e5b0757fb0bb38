#pragma once
// Files compiled into the binary by cmake/EmbedFiles.cmake (see src/api/CMakeLists.txt).
#include <cstddef>
#include <string_view>

namespace pillivery::embedded {

struct File {
  std::string_view name;     // path relative to the embedded folder, e.g. "operations/catalog.json"
  std::string_view content;  // the file's bytes
};

// The OpenAPI document's source: src/api/openapi/**/*.json.
extern const File kOpenApiFragments[];
extern const std::size_t kOpenApiFragmentsCount;
// The /docs viewer built by `npm run build` in tools/api (tools/api/dist/*); empty when that
// build has not run, and /docs then says how to run it.
extern const File kDocsViewer[];
extern const std::size_t kDocsViewerCount;

}  // namespace pillivery::embedded
