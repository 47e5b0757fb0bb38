#include "api/rate_limits.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>

namespace pillivery::api {

namespace {

constexpr std::array<const char*, 5> kNames = {"signup", "login", "order", "payment", "review"};

std::size_t Index(LimitedAction action) { return static_cast<std::size_t>(action); }

}  // namespace

RateLimits::RateLimits(const infra::Config& c, service::RateLimiter& limiter) : limiter_(limiter) {
  using service::RateLimit;
  auto parse = [&](const char* name, const std::string& text) {
    auto limit = RateLimit::Parse(name, text);  // validated even when turned off
    return c.rate_limits ? limit : std::nullopt;
  };
  limits_[Index(LimitedAction::kSignUp)] = {parse("PILLIVERY_RATE_LIMIT_SIGNUP_CLIENT", c.rate_limit_signup_client),
                                            std::nullopt};
  limits_[Index(LimitedAction::kLogin)] = {parse("PILLIVERY_RATE_LIMIT_LOGIN_CLIENT", c.rate_limit_login_client),
                                           parse("PILLIVERY_RATE_LIMIT_LOGIN_ACCOUNT", c.rate_limit_login_account)};
  limits_[Index(LimitedAction::kOrder)] = {parse("PILLIVERY_RATE_LIMIT_ORDER_CLIENT", c.rate_limit_order_client),
                                           parse("PILLIVERY_RATE_LIMIT_ORDER_ACCOUNT", c.rate_limit_order_account)};
  limits_[Index(LimitedAction::kPayment)] = {
      parse("PILLIVERY_RATE_LIMIT_PAYMENT_CLIENT", c.rate_limit_payment_client),
      parse("PILLIVERY_RATE_LIMIT_PAYMENT_ACCOUNT", c.rate_limit_payment_account)};
  limits_[Index(LimitedAction::kReview)] = {parse("PILLIVERY_RATE_LIMIT_REVIEW_CLIENT", c.rate_limit_review_client),
                                            parse("PILLIVERY_RATE_LIMIT_REVIEW_ACCOUNT", c.rate_limit_review_account)};
}

void RateLimits::CheckClient(LimitedAction action, const http::Request& request) {
  const auto& limit = limits_[Index(action)].client;
  if (!limit) return;
  const auto& address = request.client_address.empty() ? request.peer_address : request.client_address;
  limiter_.Take(std::string(kNames[Index(action)]) + ":c:" + address, *limit);
}

void RateLimits::CheckAccount(LimitedAction action, std::int64_t user_id) {
  const auto& limit = limits_[Index(action)].account;
  if (!limit) return;
  limiter_.Take(std::string(kNames[Index(action)]) + ":u:" + std::to_string(user_id), *limit);
}

void RateLimits::CheckLoginAccount(const http::Request& request) {
  const auto& limit = limits_[Index(LimitedAction::kLogin)].account;
  if (!limit) return;
  // The handler validates the body; here only a well-formed email counts.
  boost::system::error_code ec;
  auto body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object()) return;
  const auto* email = body.as_object().if_contains("email");
  if (!email || !email->is_string()) return;
  std::string normalized(email->as_string());
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  limiter_.Take("login:e:" + service::HashedKey(normalized), *limit);
}

}  // namespace pillivery::api
