#include "batch/charge_client.hpp"

#include "domain/error.hpp"
#include "infra/log.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <memory>
#include <string_view>

namespace pillivery::batch {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// json[key] when json is an object that has it, else nullptr: a malformed
// answer is an outcome to count, not an exception in a worker thread.
const boost::json::value* Field(const boost::json::value* json, std::string_view key) {
  if (json == nullptr || !json->is_object()) return nullptr;
  return json->get_object().if_contains(key);
}

std::string_view StringOf(const boost::json::value* json) {
  if (json == nullptr || !json->is_string()) return {};
  return json->get_string();
}

// A 200/202 answer: {"data": {"result": "PAID", ...}}.
Answer AnswerOfCharge(const boost::json::value* json) {
  auto data = Field(json, "data");
  if (data == nullptr) return Answer::kError;
  auto result = Field(data, "result");
  if (result == nullptr || !result->is_string()) return Answer::kError;
  return AnswerOf(domain::ParseChargeResult(result->get_string()));
}

// libcurl calls this during a transfer (at least once a second): non-zero aborts it.
int AbortWhenStopped(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

}  // namespace

ChargeClient::ChargeClient(std::string api_url, const std::string& internal_token, std::chrono::milliseconds timeout)
    : api_url_(std::move(api_url)), token_header_("X-Internal-Token: " + internal_token), curl_(curl_easy_init()) {
  // What is the same for every charge is set once; Charge sets the rest.
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer_);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, AbortWhenStopped);
}

ChargeClient::~ChargeClient() { curl_easy_cleanup(curl_); }

Answer ChargeClient::Charge(const Cycle& cycle, const std::atomic<bool>* stop) {
  const std::string id = std::to_string(cycle.id);
  const std::string due = cycle.due.ToString();
  const std::string attempt = std::to_string(cycle.attempt);
  const std::string url = api_url_ + "/internal/subscriptions/" + id + "/charge";
  // A date and a number: nothing to escape.
  const std::string body = R"({"dueDate":")" + due + R"(","attempt":)" + attempt + "}";
  const std::string key = "Idempotency-Key: sub-" + id + "-" + due + "-" + attempt;
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  if (list != nullptr) curl_slist_append(list, key.c_str());
  if (list != nullptr) curl_slist_append(list, token_header_.c_str());
  std::unique_ptr<curl_slist, SlistDeleter> headers(list);

  answer_.clear();
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, stop != nullptr ? 0L : 1L);
  curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stop));
  CURLcode rc = curl_easy_perform(curl_);
  // The handle outlives this call; it must not keep pointers into its locals.
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, nullptr);
  if (rc != CURLE_OK) return Answer::kRetryLater;  // the API server did not answer: try again later
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);

  // The answer is a few hundred bytes: its values live on the stack, not one allocation per value.
  unsigned char buffer[4096];
  boost::json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  auto json = boost::json::parse(answer_, ec, &resource);
  const boost::json::value* parsed = ec ? nullptr : &json;
  if (status == 200 || status == 202) return AnswerOfCharge(parsed);
  const std::string code(StringOf(Field(parsed, "code")));
  // Not chargeable any more (cancelled or paused meanwhile, another worker moved the cycle on).
  // InProcessChargeCycles reads the same refusals from the service's errors.
  const bool in_progress = code == domain::InfoOf(domain::ErrorCode::kChargeInProgress).text;
  if (status == 409 && !in_progress) return Answer::kSkipped;
  if (status == 404) return Answer::kSkipped;
  if (status == 503 || status == 409 || status == 429) return Answer::kRetryLater;
  infra::LogWarn("charge request failed", {{"subscriptionId", cycle.id}, {"status", status}, {"code", code}});
  return Answer::kError;
}

}  // namespace pillivery::batch
