#pragma once
// One answer of either public-data API (식품안전나라 Open API or 공공데이터포털), as
// the API sent it or as it was saved to a file, reduced to a result code and rows.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pillivery::importer {

inline constexpr std::string_view kCodeSuccess = "INFO-000";
inline constexpr std::string_view kCodeNoData = "INFO-200";
inline constexpr std::string_view kDataGoKrSuccess = "00";

struct SourceAnswer {
  std::string result_code;  // "INFO-000", "INFO-200", "00", ... ("" when the answer has none)
  std::string result_message;
  std::optional<std::int64_t> total_count;
  std::vector<boost::json::object> rows;

  bool IsSuccess() const {
    return result_code.empty() || result_code == kCodeSuccess || result_code == kDataGoKrSuccess;
  }
  bool IsEndOfData() const { return result_code == kCodeNoData; }
};

// Accepts {"<service>": {total_count, row: [...], RESULT}}, the data.go.kr shape
// {header, body: {totalCount, items: [{item: {...}}] | [{...}] | {item: [...]}}}
// (optionally wrapped in "response"), and a bare array of rows.
// expected_service: when set, the foodsafetykorea shape must use that root key.
// Throws domain::Error IMPORT_MALFORMED naming `origin` (a file or a redacted URL).
SourceAnswer ParseSourceAnswer(std::string_view text, std::string_view origin, std::string_view expected_service = {});

}  // namespace pillivery::importer
