#include "importer/open_api_client.hpp"
#include "infra/percent_encoding.hpp"

#include "domain/error.hpp"
#include "infra/log.hpp"

#include <curl/curl.h>

#include <cctype>
#include <mutex>
#include <thread>

namespace pillivery::importer {
namespace {

// curl_global_init is not thread-safe; run it once before the first handle.
void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// Errors that say something about the request itself: retrying cannot help.
bool IsPermanentCurlError(CURLcode code) {
  return code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_OUT_OF_MEMORY;
}

bool IsTransientStatus(long status) { return status >= 500 || status == 429 || status == 408; }

// Keeps only safe URL path characters, so a key cannot inject path segments.
std::string PathSegment(const std::string& text) { return infra::PercentEncode(text); }

}  // namespace

struct OpenApiClient::Curl {
  CURL* handle = nullptr;
  ~Curl() {
    if (handle != nullptr) curl_easy_cleanup(handle);
  }
};

OpenApiClient::OpenApiClient(OpenApiOptions options) : options_(std::move(options)), curl_(std::make_unique<Curl>()) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (options_.page_size < 1) options_.page_size = 1;
  if (options_.page_size > 1000) options_.page_size = 1000;  // the API refuses more
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  GlobalInitOnce();
  curl_->handle = curl_easy_init();
  if (curl_->handle == nullptr) throw domain::Error(domain::ErrorCode::kImportClientFailed, "libcurl could not start");
}

OpenApiClient::~OpenApiClient() = default;

std::string OpenApiClient::Url(std::int64_t start, std::int64_t end, bool redact) const {
  std::string url = options_.base_url + "/api/" + (redact ? std::string("***") : PathSegment(options_.key_id)) + "/" +
                    PathSegment(options_.service_id) + "/json/" + std::to_string(start) + "/" + std::to_string(end);
  if (options_.changed_since) url += "/CHNG_DT=" + PathSegment(*options_.changed_since);
  return url;
}

std::string OpenApiClient::RedactedUrl(std::int64_t start, std::int64_t end) const { return Url(start, end, true); }

std::string OpenApiClient::Get(const std::string& url, const std::string& shown_url) {
  CURL* h = curl_->handle;
  std::string last_failure;
  std::chrono::milliseconds backoff = options_.first_backoff;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    std::string body;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "pillivery-importer/" PILLIVERY_VERSION);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
    CURLcode code = curl_easy_perform(h);
    long status = 0;
    if (code == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);

    if (code == CURLE_OK && status >= 200 && status < 300) return body;
    // NOLINTBEGIN(performance-inefficient-string-concatenation): built once, for the throw that ends the loop
    if (code != CURLE_OK) {
      // libcurl's message may contain the URL (and so the key); use the code's text.
      last_failure = std::string(curl_easy_strerror(code));
      if (IsPermanentCurlError(code))
        throw domain::Error(domain::ErrorCode::kImportSourceUnavailable,
                            "Cannot request " + shown_url + ": " + last_failure);
    } else {
      last_failure = "HTTP " + std::to_string(status);
      if (!IsTransientStatus(status))
        throw domain::Error(domain::ErrorCode::kImportSourceError,
                            "The public-data API answered " + last_failure + " to " + shown_url);
    }
    // NOLINTEND(performance-inefficient-string-concatenation)
    if (attempt < options_.max_attempts) {
      infra::LogWarn("importer.retry", {{"url", shown_url},
                                        {"attempt", attempt},
                                        {"failure", last_failure},
                                        {"backoff_ms", static_cast<std::int64_t>(backoff.count())}});
      options_.sleep(backoff);
      backoff *= 2;
    }
  }
  throw domain::Error(domain::ErrorCode::kImportSourceUnavailable,
                      "The public-data API failed " + std::to_string(options_.max_attempts) + " times for " +
                          shown_url + "; last: " + last_failure);
}

OpenApiPage OpenApiClient::FetchPage(std::int64_t start, std::int64_t end) {
  std::string shown = RedactedUrl(start, end);
  std::string body = Get(Url(start, end, false), shown);
  OpenApiPage page;
  page.start = start;
  page.end = end;
  page.answer = ParseSourceAnswer(body, shown, options_.service_id);
  if (!page.answer.IsSuccess() && !page.answer.IsEndOfData())
    throw domain::Error(
        domain::ErrorCode::kImportSourceError,
        "The public-data API refused " + shown + ": " + page.answer.result_code + " " + page.answer.result_message);
  return page;
}

void OpenApiClient::ForEachPage(const std::function<bool(const OpenApiPage&)>& on_page) {
  std::int64_t start = 1;
  while (true) {
    std::int64_t end = start + options_.page_size - 1;
    OpenApiPage page = FetchPage(start, end);
    if (page.answer.IsEndOfData()) return;
    if (!on_page(page)) return;
    // An empty success page would otherwise loop forever on a confused server.
    if (page.answer.rows.empty()) return;
    start = end + 1;
    if (page.answer.total_count && start > *page.answer.total_count) return;
  }
}

}  // namespace pillivery::importer
