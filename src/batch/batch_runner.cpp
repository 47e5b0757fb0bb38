#include "batch/batch_runner.hpp"

#include "infra/clock.hpp"
#include "infra/log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

namespace pillivery::batch {

namespace {

struct Cycle {
  std::int64_t id = 0;
  domain::Date due;
  int attempt = 1;
};

enum class Answer { kPaid, kSoftDeclined, kHardDeclined, kUnknown, kSkipped, kRetryLater, kError };

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One libcurl handle per worker thread, so connections to the API stay alive.
class ChargeClient {
 public:
  ChargeClient(const BatchOptions& options, std::string api_url)
      : options_(options), api_url_(std::move(api_url)), curl_(curl_easy_init()) {}
  ~ChargeClient() { curl_easy_cleanup(curl_); }

  Answer Charge(const Cycle& c) {
    std::string url = api_url_ + "/internal/subscriptions/" + std::to_string(c.id) + "/charge";
    std::string body = boost::json::serialize(
        boost::json::object{{"dueDate", c.due.ToString()}, {"attempt", c.attempt}});
    std::string key = "Idempotency-Key: sub-" + std::to_string(c.id) + "-" + c.due.ToString() + "-" +
                      std::to_string(c.attempt);
    std::string token = "X-Internal-Token: " + options_.internal_token;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, key.c_str());
    headers = curl_slist_append(headers, token.c_str());
    std::string answer;
    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(curl_);
    long status = 0;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return Answer::kRetryLater;  // the API server did not answer: try again later
    boost::system::error_code ec;
    auto json = boost::json::parse(answer, ec);
    if (status == 200 || status == 202) {
      if (ec || !json.is_object() || !json.as_object().contains("data")) return Answer::kError;
      auto result = json.at("data").at("result").as_string();
      if (result == "PAID") return Answer::kPaid;
      if (result == "SOFT_DECLINED") return Answer::kSoftDeclined;
      if (result == "HARD_DECLINED") return Answer::kHardDeclined;
      return Answer::kUnknown;
    }
    std::string code = !ec && json.is_object() && json.as_object().contains("code")
                           ? std::string(json.at("code").as_string())
                           : "";
    // Not chargeable any more (cancelled or paused meanwhile, another worker moved the cycle on).
    if (status == 409 && code != "CHARGE_IN_PROGRESS") return Answer::kSkipped;
    if (status == 404) return Answer::kSkipped;
    if (status == 503 || status == 409 || status == 429) return Answer::kRetryLater;
    infra::LogWarn("charge request failed", {{"subscriptionId", c.id}, {"status", status}, {"code", code}});
    return Answer::kError;
  }

 private:
  const BatchOptions& options_;
  std::string api_url_;
  CURL* curl_;
};

std::vector<std::string> ApiUrls(const std::string& list) {
  std::vector<std::string> urls;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = std::min(list.find(',', start), list.size());
    std::string url = list.substr(start, comma - start);
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.empty()) urls.push_back(std::move(url));
    start = comma + 1;
  }
  if (urls.empty()) urls.push_back(list);
  return urls;
}

}  // namespace

BatchResult RunBilling(storage::SubscriptionRepository& subscriptions, const BatchOptions& options) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  auto now = [] { return infra::FormatIsoTime(std::chrono::system_clock::now()); };
  BatchResult result;
  result.run.run_date = options.date.ToString();
  result.run.started_at = now();
  result.run.status = "RUNNING";
  result.run.id = subscriptions.StartRun(result.run.run_date, result.run.started_at);
  infra::LogInfo("billing run started", {{"runId", result.run.id}, {"date", result.run.run_date}});

  const auto urls = ApiUrls(options.api_url);
  std::mutex mutex;
  std::atomic<int> paid{0}, soft{0}, hard{0}, unknown{0}, skipped{0}, errors{0};
  std::vector<Cycle> retry;

  auto process = [&](std::vector<Cycle> cycles, bool last_pass) {
    std::deque<Cycle> queue(cycles.begin(), cycles.end());
    std::vector<std::thread> workers;
    for (int w = 0; w < std::max(1, options.concurrency); ++w) {
      workers.emplace_back([&, w] {
        ChargeClient client(options, urls[static_cast<std::size_t>(w) % urls.size()]);
        for (;;) {
          Cycle c;
          {
            std::lock_guard lock(mutex);
            if (queue.empty()) return;
            c = queue.front();
            queue.pop_front();
          }
          switch (client.Charge(c)) {
            case Answer::kPaid: ++paid; break;
            case Answer::kSoftDeclined: ++soft; break;
            case Answer::kHardDeclined: ++hard; break;
            case Answer::kSkipped: ++skipped; break;
            case Answer::kError: ++errors; break;
            case Answer::kUnknown:
            case Answer::kRetryLater:
              if (last_pass) {
                ++unknown;
              } else {
                std::lock_guard lock(mutex);
                retry.push_back(c);
              }
              break;
          }
        }
      });
    }
    for (auto& t : workers) t.join();
  };

  // Pages by id: a charged cycle moves its subscription's next attempt into the
  // future, so paging by offset would skip rows; by id it cannot.
  std::int64_t after = 0;
  for (;;) {
    // One query per page: the cycle of each subscription comes with its id.
    auto page = subscriptions.DueCycles(options.date, after, options.page_size);
    if (page.empty()) break;
    std::vector<Cycle> cycles;
    cycles.reserve(page.size());
    for (const auto& due : page) cycles.push_back({due.subscription_id, due.next_payment_date, due.cycle_attempts + 1});
    result.run.due += static_cast<int>(cycles.size());
    after = page.back().subscription_id;
    process(std::move(cycles), options.passes <= 1);
  }
  for (int pass = 2; pass <= options.passes && !retry.empty(); ++pass) {
    std::vector<Cycle> again;
    again.swap(retry);
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * (pass - 1)));
    process(std::move(again), pass == options.passes);
  }

  result.run.paid = paid;
  result.run.soft_declined = soft;
  result.run.hard_declined = hard;
  result.run.unknown = unknown;
  result.run.skipped = skipped;
  result.run.errors = errors;
  result.completed = unknown == 0 && errors == 0;
  result.run.status = result.completed ? "COMPLETED" : "INCOMPLETE";
  result.run.finished_at = now();
  subscriptions.FinishRun(result.run);
  infra::LogInfo("billing run finished",
                 {{"runId", result.run.id}, {"date", result.run.run_date}, {"status", result.run.status},
                  {"due", result.run.due}, {"paid", result.run.paid}, {"softDeclined", result.run.soft_declined},
                  {"hardDeclined", result.run.hard_declined}, {"unknown", result.run.unknown},
                  {"skipped", result.run.skipped}, {"errors", result.run.errors}});
  return result;
}

}  // namespace pillivery::batch
