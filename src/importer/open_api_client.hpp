#pragma once
// Client of the 식품안전나라 Open API (services I0030 and C003):
//   {base}/api/{keyId}/{serviceId}/json/{start}/{end}[/CHNG_DT=YYYYMMDD]
// Pages through the whole service. Transient failures (connection errors,
// timeouts, HTTP 5xx/429) are retried with backoff; answers the API means
// (quota, bad key) are not, since retrying cannot change them.
#include "importer/source_answer.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace pillivery::importer {

inline constexpr const char* kFoodSafetyBaseUrl = "http://openapi.foodsafetykorea.go.kr";

struct OpenApiOptions {
  std::string base_url = kFoodSafetyBaseUrl;
  std::string key_id;
  std::string service_id = "I0030";          // or "C003"
  std::optional<std::string> changed_since;  // YYYYMMDD → /CHNG_DT=...
  int page_size = 1000;                      // the API's maximum
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{1000};  // doubled after every failed attempt
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};
  // Tests inject a sleep that only records; production sleeps the thread.
  std::function<void(std::chrono::milliseconds)> sleep;
};

struct OpenApiPage {
  std::int64_t start = 0;  // 1-based, inclusive
  std::int64_t end = 0;
  SourceAnswer answer;
};

class OpenApiClient {
 public:
  explicit OpenApiClient(OpenApiOptions options);
  ~OpenApiClient();
  OpenApiClient(const OpenApiClient&) = delete;
  OpenApiClient& operator=(const OpenApiClient&) = delete;

  // One page, rows start..end. An INFO-200 answer comes back as IsEndOfData();
  // any other non-success RESULT throws IMPORT_SOURCE_ERROR; a body that is not
  // an answer throws IMPORT_MALFORMED; retries exhausted throw IMPORT_SOURCE_UNAVAILABLE.
  OpenApiPage FetchPage(std::int64_t start, std::int64_t end);

  // Every page in order until INFO-200, an empty page, or start > total_count.
  // on_page returns false to stop early.
  void ForEachPage(const std::function<bool(const OpenApiPage&)>& on_page);

  // The request URL with the key replaced, safe for logs and error messages.
  std::string RedactedUrl(std::int64_t start, std::int64_t end) const;

 private:
  std::string Url(std::int64_t start, std::int64_t end, bool redact) const;
  std::string Get(const std::string& url, const std::string& shown_url);

  OpenApiOptions options_;
  struct Curl;
  std::unique_ptr<Curl> curl_;
};

}  // namespace pillivery::importer
