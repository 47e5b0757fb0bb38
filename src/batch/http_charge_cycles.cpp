#include "batch/http_charge_cycles.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <utility>

namespace pillivery::batch {

namespace {

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

HttpChargeCycles::HttpChargeCycles(HttpChargeOptions options)
    : options_(std::move(options)), urls_(ApiUrls(options_.api_url)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Answer HttpChargeCycles::Charge(const Cycle& cycle, const std::atomic<bool>* stop) {
  auto client = Take();
  // A client that threw is not given back: its connection's state is unknown.
  Answer answer = client->Charge(cycle, stop);
  Give(std::move(client));
  return answer;
}

std::unique_ptr<ChargeClient> HttpChargeCycles::Take() {
  std::string url;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
    url = urls_[opened_++ % urls_.size()];
  }
  return std::make_unique<ChargeClient>(std::move(url), options_.internal_token, options_.request_timeout);
}

void HttpChargeCycles::Give(std::unique_ptr<ChargeClient> client) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(client));
}

}  // namespace pillivery::batch
