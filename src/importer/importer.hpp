#pragma once
// Imports the public health-food data into the catalog: from the 식품안전나라 Open
// API or from saved answers. Upserts by report number, so a re-import updates
// items in place and never duplicates them; prices, stock and images set in the
// store are kept.
#include "importer/open_api_client.hpp"
#include "storage/item_repository.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

namespace pillivery::importer {

struct ImportCounts {
  std::int64_t read = 0;  // rows received
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t skipped = 0;  // rows without product name or report number
  std::int64_t pages = 0;    // API pages or files
};

struct ImportProgress {
  ImportCounts counts;
  std::optional<std::int64_t> total;  // rows the source says it has, when known
  std::string source;                 // service id or file name
};

using ProgressCallback = std::function<void(const ImportProgress&)>;

// Rows are written one API page (≤ 1000 rows) per transaction: an import stopped
// by a quota keeps every page before it, and running it again resumes by upsert.
ImportCounts ImportFromApi(const OpenApiOptions& options, storage::ItemRepository& repository,
                           const ProgressCallback& progress = {});

// Saved answers in either API's own JSON format (see source_answer.hpp). A file
// that is unreadable or malformed throws before anything of it is written.
ImportCounts ImportFiles(const std::vector<std::filesystem::path>& paths, storage::ItemRepository& repository,
                         const ProgressCallback& progress = {});

// "\r" + one status line on stderr when stderr is a terminal; nothing otherwise
// (the structured log already records the outcome).
void PrintProgress(const ImportProgress& progress);
// Ends the status line PrintProgress drew, if any.
void FinishProgress();

}  // namespace pillivery::importer
