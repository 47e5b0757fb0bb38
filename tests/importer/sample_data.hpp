#pragma once
// The spec's real C003 rows, and Open API pages built from them.
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace pillivery::testing {

inline std::filesystem::path SpecDataFile(const std::string& name) {
  return std::filesystem::path(PILLIVERY_SPEC_DIR) / "data" / name;
}

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline std::vector<boost::json::object> SampleRows() {
  auto root = boost::json::parse(ReadText(SpecDataFile("c003-sample.json")));
  std::vector<boost::json::object> rows;
  for (const auto& row : root.at("C003").at("row").as_array()) rows.push_back(row.as_object());
  return rows;
}

// One Open API answer holding rows [from, to) of `rows`.
inline std::string PageBody(const std::string& service, const std::vector<boost::json::object>& rows, size_t from,
                            size_t to, long long total_count) {
  boost::json::array page;
  for (size_t i = from; i < to && i < rows.size(); ++i) page.push_back(rows[i]);
  boost::json::object inner{{"total_count", std::to_string(total_count)},
                            {"row", std::move(page)},
                            {"RESULT", {{"MSG", "정상처리되었습니다."}, {"CODE", "INFO-000"}}}};
  return boost::json::serialize(boost::json::object{{service, std::move(inner)}});
}

inline std::string ResultBody(const std::string& service, const std::string& code, const std::string& message) {
  return boost::json::serialize(boost::json::object{{service, {{"RESULT", {{"MSG", message}, {"CODE", code}}}}}});
}

}  // namespace pillivery::testing
