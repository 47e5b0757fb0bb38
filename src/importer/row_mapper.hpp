#pragma once
// Maps one public-data row (식품안전나라 I0030/C003 or 공공데이터포털 HtfsInfoService)
// to a catalog item. Pure: no I/O, so every quirk of the feed is unit-tested here.
#include "domain/item.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pillivery::importer {

enum class SkipReason { kNoProductName, kNoReportNo, kReportNoTooLong };
std::string_view DescribeSkip(SkipReason reason);

struct MappedRow {
  std::optional<domain::Item> item;  // empty when the row is skipped
  SkipReason skip_reason = SkipReason::kNoProductName;
};

// Rows without a product name are skipped. So are rows without a report number:
// it is the only key a re-import can match on, and a keyless row would be
// duplicated by every run.
MappedRow MapRow(const boost::json::object& row);

// "\r\n", "\r" and <br>, <br/>, <br /> (any case) become "\n"; outer whitespace
// (ASCII, U+00A0 and the ideographic space U+3000) is trimmed.
std::string NormalizeText(std::string_view text);
// "20210331" → "2021-03-31"; "2021-03-31..." keeps its date; anything else → "".
std::string NormalizeDate(std::string_view text);
// Cuts to at most max_code_points UTF-8 characters without splitting one.
std::string TruncateUtf8(std::string text, std::size_t max_code_points);

}  // namespace pillivery::importer
