#include "service/notices/notifier.hpp"

#include "infra/json_writer.hpp"
#include "infra/log.hpp"

#include <curl/curl.h>

#include <stdexcept>

namespace pillivery::service {

void Notifier::Send(const std::string& notice_id, const boost::json::object& notice) const {
  boost::json::object fields = notice;
  fields["noticeId"] = notice_id;
  infra::LogInfo("customer notice", fields);
  if (!webhook_url_) return;
  std::string body = infra::ToJson(fields);
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  std::string key = "Idempotency-Key: notice-" + notice_id;  // lets the receiver drop a redelivery
  headers = curl_slist_append(headers, key.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, webhook_url_->c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK || status < 200 || status >= 300)
    throw std::runtime_error("notification webhook answered " + std::to_string(status) + " (" + curl_easy_strerror(rc) +
                             ")");
}

}  // namespace pillivery::service
