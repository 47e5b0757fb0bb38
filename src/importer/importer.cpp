#include "importer/importer.hpp"

#include "domain/error.hpp"
#include "importer/row_mapper.hpp"
#include "infra/log.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

namespace pillivery::importer {
namespace {

constexpr std::size_t kFileBatchRows = 1000;

// Maps rows, writes them in batches, and keeps the counts.
class BatchWriter {
 public:
  BatchWriter(storage::ItemRepository& repository, ImportCounts& counts) : repository_(repository), counts_(counts) {}

  void Add(const std::vector<boost::json::object>& rows, std::size_t batch_rows) {
    std::vector<domain::Item> batch;
    batch.reserve(std::min(rows.size(), batch_rows));
    for (const auto& row : rows) {
      ++counts_.read;
      MappedRow mapped = MapRow(row);
      if (!mapped.item) {
        ++counts_.skipped;
        ++skip_reasons_[mapped.skip_reason];
        continue;
      }
      batch.push_back(std::move(*mapped.item));
      if (batch.size() >= batch_rows) Flush(batch);
    }
    Flush(batch);
  }

  boost::json::object SkipSummary() const {
    boost::json::object out;
    for (const auto& [reason, n] : skip_reasons_) out[DescribeSkip(reason)] = n;
    return out;
  }

 private:
  void Flush(std::vector<domain::Item>& batch) {
    if (batch.empty()) return;
    storage::UpsertCounts written = repository_.UpsertPublicData(batch);
    counts_.inserted += written.inserted;
    counts_.updated += written.updated;
    batch.clear();
  }

  storage::ItemRepository& repository_;
  ImportCounts& counts_;
  std::map<SkipReason, std::int64_t> skip_reasons_;
};

boost::json::object CountsJson(const ImportCounts& c) {
  return {
      {"read", c.read}, {"inserted", c.inserted}, {"updated", c.updated}, {"skipped", c.skipped}, {"pages", c.pages}};
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw domain::Error(domain::ErrorCode::kImportFileUnreadable, "Cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw domain::Error(domain::ErrorCode::kImportFileUnreadable, "Cannot read " + path.string());
  return text.str();
}

bool& ProgressLineOpen() {
  static bool open = false;
  return open;
}

}  // namespace

ImportCounts ImportFromApi(const OpenApiOptions& options, storage::ItemRepository& repository,
                           const ProgressCallback& progress) {
  OpenApiClient client(options);
  ImportCounts counts;
  BatchWriter writer(repository, counts);
  infra::LogInfo("importer.api.start", {{"service", options.service_id},
                                        {"since", options.changed_since.value_or("")},
                                        {"page_size", options.page_size}});
  client.ForEachPage([&](const OpenApiPage& page) {
    ++counts.pages;
    writer.Add(page.answer.rows, page.answer.rows.size() + 1);  // one transaction per page
    if (progress) progress({counts, page.answer.total_count, options.service_id});
    return true;
  });
  auto fields = CountsJson(counts);
  fields["service"] = options.service_id;
  fields["skip_reasons"] = writer.SkipSummary();
  infra::LogInfo("importer.api.done", std::move(fields));
  return counts;
}

ImportCounts ImportFiles(const std::vector<std::filesystem::path>& paths, storage::ItemRepository& repository,
                         const ProgressCallback& progress) {
  ImportCounts counts;
  BatchWriter writer(repository, counts);
  for (const auto& path : paths) {
    SourceAnswer answer = ParseSourceAnswer(ReadFile(path), path.string());
    if (!answer.IsSuccess() && !answer.IsEndOfData())
      throw domain::Error(domain::ErrorCode::kImportSourceError, path.string() + " holds an error answer: " +
                                                                     answer.result_code + " " + answer.result_message);
    ++counts.pages;
    writer.Add(answer.rows, kFileBatchRows);
    if (progress) progress({counts, std::nullopt, path.filename().string()});
  }
  auto fields = CountsJson(counts);
  fields["files"] = static_cast<std::int64_t>(paths.size());
  fields["skip_reasons"] = writer.SkipSummary();
  infra::LogInfo("importer.files.done", std::move(fields));
  return counts;
}

void PrintProgress(const ImportProgress& progress) {
  if (!::isatty(STDERR_FILENO)) return;
  const ImportCounts& c = progress.counts;
  std::string total = progress.total ? "/" + std::to_string(*progress.total) : "";
  std::fprintf(stderr, "\r%s: %lld%s rows, %lld new, %lld updated, %lld skipped (%lld pages)\x1b[K",
               progress.source.c_str(), static_cast<long long>(c.read), total.c_str(),
               static_cast<long long>(c.inserted), static_cast<long long>(c.updated), static_cast<long long>(c.skipped),
               static_cast<long long>(c.pages));
  std::fflush(stderr);
  ProgressLineOpen() = true;
}

void FinishProgress() {
  if (!ProgressLineOpen()) return;
  std::fputc('\n', stderr);
  ProgressLineOpen() = false;
}

}  // namespace pillivery::importer
