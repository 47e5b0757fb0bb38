#pragma once
// Customer notices (charge coming, succeeded, declined, finally failed): always a
// structured log line; also an HTTP webhook POST when one is configured.
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace pillivery::service {

class Notifier {
 public:
  explicit Notifier(std::optional<std::string> webhook_url = std::nullopt,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5))
      : webhook_url_(std::move(webhook_url)), timeout_(timeout) {}

  // Throws when the webhook does not accept the notice (the outbox retries it).
  void Send(const std::string& notice_id, const boost::json::object& notice) const;

 private:
  std::optional<std::string> webhook_url_;
  std::chrono::milliseconds timeout_;
};

}  // namespace pillivery::service
