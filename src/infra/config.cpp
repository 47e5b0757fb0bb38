#include "infra/config.hpp"

#include "domain/error.hpp"

#include <toml++/toml.h>

#include <charconv>

extern char** environ;

namespace pillivery::infra {
namespace {

using domain::Error;
using domain::ErrorCode;

[[noreturn]] void Bad(const std::string& name, const std::string& why) {
  throw Error(ErrorCode::kConfigInvalid, name + ": " + why);
}

int ParseInt(const std::string& name, const std::string& text, int lo, int hi) {
  int value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || p != text.data() + text.size() || value < lo || value > hi)
    Bad(name, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return value;
}

template <typename Apply>
void ForEachSetting(Apply&& apply, Config& c) {
  apply("http.address", "PILLIVERY_HTTP_ADDRESS", c.http_address);
  apply("http.port", "PILLIVERY_HTTP_PORT", c.http_port);
  apply("http.io_threads", "PILLIVERY_IO_THREADS", c.io_threads);
  apply("http.drain_seconds", "PILLIVERY_DRAIN_SECONDS", c.drain_seconds);
  apply("http.worker_threads", "PILLIVERY_WORKER_THREADS", c.worker_threads);
  apply("http.gateway_threads", "PILLIVERY_GATEWAY_THREADS", c.gateway_threads);
  apply("http.read_timeout_ms", "PILLIVERY_HTTP_READ_TIMEOUT_MS", c.http_read_timeout_ms);
  apply("db.url", "PILLIVERY_DB_URL", c.db_url);
  apply("db.pool_size", "PILLIVERY_DB_POOL_SIZE", c.db_pool_size);
  apply("redis.url", "PILLIVERY_REDIS_URL", c.redis_url);
  apply("redis.prefix", "PILLIVERY_REDIS_PREFIX", c.redis_prefix);
  apply("views.flush_seconds", "PILLIVERY_VIEWS_FLUSH_SECONDS", c.views_flush_seconds);
  apply("views.max_pending", "PILLIVERY_VIEWS_MAX_PENDING", c.views_max_pending);
  apply("auth.jwt_secret", "PILLIVERY_JWT_SECRET", c.jwt_secret);
  apply("kakaopay.base_url", "PILLIVERY_KAKAOPAY_BASE_URL", c.kakaopay_base_url);
  apply("kakaopay.secret_key", "PILLIVERY_KAKAOPAY_SECRET_KEY", c.kakaopay_secret_key);
  apply("payment.max_concurrent_calls", "PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS", c.payment_max_concurrent_calls);
  apply("payment.approve_attempts", "PILLIVERY_PAYMENT_APPROVE_ATTEMPTS", c.payment_approve_attempts);
  apply("http.public_base_url", "PILLIVERY_PUBLIC_BASE_URL", c.public_base_url);
  apply("internal.token", "PILLIVERY_INTERNAL_TOKEN", c.internal_token);
  apply("internal.networks", "PILLIVERY_INTERNAL_NETWORKS", c.internal_networks);
  apply("http.trusted_proxies", "PILLIVERY_TRUSTED_PROXIES", c.trusted_proxies);
  apply("metrics.networks", "PILLIVERY_METRICS_NETWORKS", c.metrics_networks);
  apply("metrics.token", "PILLIVERY_METRICS_TOKEN", c.metrics_token);
  apply("rate_limits.enabled", "PILLIVERY_RATE_LIMITS", c.rate_limits);
  apply("rate_limits.signup_client", "PILLIVERY_RATE_LIMIT_SIGNUP_CLIENT", c.rate_limit_signup_client);
  apply("rate_limits.login_client", "PILLIVERY_RATE_LIMIT_LOGIN_CLIENT", c.rate_limit_login_client);
  apply("rate_limits.login_account", "PILLIVERY_RATE_LIMIT_LOGIN_ACCOUNT", c.rate_limit_login_account);
  apply("rate_limits.order_client", "PILLIVERY_RATE_LIMIT_ORDER_CLIENT", c.rate_limit_order_client);
  apply("rate_limits.order_account", "PILLIVERY_RATE_LIMIT_ORDER_ACCOUNT", c.rate_limit_order_account);
  apply("rate_limits.payment_client", "PILLIVERY_RATE_LIMIT_PAYMENT_CLIENT", c.rate_limit_payment_client);
  apply("rate_limits.payment_account", "PILLIVERY_RATE_LIMIT_PAYMENT_ACCOUNT", c.rate_limit_payment_account);
  apply("rate_limits.review_client", "PILLIVERY_RATE_LIMIT_REVIEW_CLIENT", c.rate_limit_review_client);
  apply("rate_limits.review_account", "PILLIVERY_RATE_LIMIT_REVIEW_ACCOUNT", c.rate_limit_review_account);
  apply("business.timezone", "PILLIVERY_TIMEZONE", c.timezone);
  apply("admin.email", "PILLIVERY_ADMIN_EMAIL", c.admin_email);
  apply("admin.password", "PILLIVERY_ADMIN_PASSWORD", c.admin_password);
  apply("log.level", "PILLIVERY_LOG_LEVEL", c.log_level);
  apply("cache.ttl_seconds", "PILLIVERY_CACHE_TTL_SECONDS", c.cache_ttl_seconds);
  apply("catalog.index", "PILLIVERY_CATALOG_INDEX", c.catalog_index);
  apply("catalog.index_poll_ms", "PILLIVERY_CATALOG_INDEX_POLL_MS", c.catalog_index_poll_ms);
  apply("catalog.index_stats_seconds", "PILLIVERY_CATALOG_INDEX_STATS_SECONDS", c.catalog_index_stats_seconds);
  apply("orders.expiry_minutes", "PILLIVERY_ORDER_EXPIRY_MINUTES", c.order_expiry_minutes);
  apply("orders.max_open_unpaid", "PILLIVERY_ORDER_MAX_OPEN_UNPAID", c.order_max_open_unpaid);
  apply("orders.max_open_quantity_per_item", "PILLIVERY_ORDER_MAX_OPEN_QUANTITY_PER_ITEM",
        c.order_max_open_quantity_per_item);
  apply("orders.abandoned_payment_minutes", "PILLIVERY_ORDER_ABANDONED_PAYMENT_MINUTES",
        c.order_abandoned_payment_minutes);
  apply("idempotency.retention_hours", "PILLIVERY_IDEMPOTENCY_RETENTION_HOURS", c.idempotency_retention_hours);
  apply("payments.storefront_result_url", "PILLIVERY_STOREFRONT_RESULT_URL", c.storefront_result_url);
  apply("web.root", "PILLIVERY_WEB_ROOT", c.web_root);
  apply("web.image_dir", "PILLIVERY_IMAGE_DIR", c.image_dir);
  apply("notifications.webhook_url", "PILLIVERY_NOTIFICATION_WEBHOOK_URL", c.notification_webhook_url);
  apply("billing.time", "PILLIVERY_BILLING_TIME", c.billing_time);
  apply("billing.scheduler", "PILLIVERY_BILLING_SCHEDULER", c.billing_scheduler);
  apply("test.clock", "PILLIVERY_TEST_CLOCK", c.test_clock);
  apply("auth.access_token_minutes", "PILLIVERY_ACCESS_TOKEN_MINUTES", c.access_token_minutes);
  apply("auth.refresh_token_days", "PILLIVERY_REFRESH_TOKEN_DAYS", c.refresh_token_days);
  apply("auth.principal_cache_ms", "PILLIVERY_PRINCIPAL_CACHE_MS", c.principal_cache_ms);
  apply("oauth.kakao.client_id", "PILLIVERY_KAKAO_CLIENT_ID", c.kakao_client_id);
  apply("oauth.kakao.client_secret", "PILLIVERY_KAKAO_CLIENT_SECRET", c.kakao_client_secret);
  apply("oauth.kakao.authorize_url", "PILLIVERY_KAKAO_AUTHORIZE_URL", c.kakao_authorize_url);
  apply("oauth.kakao.token_url", "PILLIVERY_KAKAO_TOKEN_URL", c.kakao_token_url);
  apply("oauth.kakao.userinfo_url", "PILLIVERY_KAKAO_USERINFO_URL", c.kakao_userinfo_url);
  apply("oauth.google.client_id", "PILLIVERY_GOOGLE_CLIENT_ID", c.google_client_id);
  apply("oauth.google.client_secret", "PILLIVERY_GOOGLE_CLIENT_SECRET", c.google_client_secret);
  apply("oauth.google.authorize_url", "PILLIVERY_GOOGLE_AUTHORIZE_URL", c.google_authorize_url);
  apply("oauth.google.token_url", "PILLIVERY_GOOGLE_TOKEN_URL", c.google_token_url);
  apply("oauth.google.userinfo_url", "PILLIVERY_GOOGLE_USERINFO_URL", c.google_userinfo_url);
}

void Assign(const std::string& name, const std::string& text, std::string& out) { out = text; }
void Assign(const std::string& name, const std::string& text, std::optional<std::string>& out) {
  if (text.empty())
    out.reset();
  else
    out = text;
}
void Assign(const std::string& name, const std::string& text, bool& out) {
  if (text == "true" || text == "1")
    out = true;
  else if (text == "false" || text == "0")
    out = false;
  else
    Bad(name, "expected true or false");
}
void Assign(const std::string& name, const std::string& text, int& out) { out = ParseInt(name, text, 0, 1'000'000); }
void Assign(const std::string& name, const std::string& text, std::uint16_t& out) {
  out = static_cast<std::uint16_t>(ParseInt(name, text, 0, 65535));
}

std::optional<std::string> TomlText(const toml::table& table, const char* dotted) {
  auto node = table.at_path(dotted);
  if (!node) return std::nullopt;
  if (auto s = node.value<std::string>()) return *s;
  if (auto i = node.value<std::int64_t>()) return std::to_string(*i);
  if (auto b = node.value<bool>()) return *b ? "true" : "false";
  Bad(dotted, "unsupported value type");
}

}  // namespace

Config LoadConfig(const std::optional<std::string>& toml_path, const std::map<std::string, std::string>& env) {
  Config config;
  toml::table table;
  if (toml_path) {
    try {
      table = toml::parse_file(*toml_path);
    } catch (const toml::parse_error& e) {
      Bad(*toml_path, std::string(e.description()));
    }
  }
  ForEachSetting(
      [&](const char* key, const char* var, auto& field) {
        if (auto text = TomlText(table, key)) Assign(key, *text, field);
        if (auto it = env.find(var); it != env.end()) Assign(var, it->second, field);
      },
      config);
  if (config.views_flush_seconds < 1) Bad("PILLIVERY_VIEWS_FLUSH_SECONDS", "must be at least 1");
  if (config.drain_seconds < 0 || config.drain_seconds > 8) Bad("PILLIVERY_DRAIN_SECONDS", "must be 0 to 8");
  if (config.catalog_index_poll_ms < 10 || config.catalog_index_poll_ms > 1000)
    Bad("PILLIVERY_CATALOG_INDEX_POLL_MS", "must be from 10 to 1000 (changes must show within a second)");
  if (config.catalog_index_stats_seconds < 1) Bad("PILLIVERY_CATALOG_INDEX_STATS_SECONDS", "must be at least 1");
  if (config.payment_max_concurrent_calls < 1) Bad("PILLIVERY_PAYMENT_MAX_CONCURRENT_CALLS", "must be at least 1");
  if (config.payment_approve_attempts < 1) Bad("PILLIVERY_PAYMENT_APPROVE_ATTEMPTS", "must be at least 1");
  if (config.idempotency_retention_hours < 24)
    Bad("PILLIVERY_IDEMPOTENCY_RETENTION_HOURS", "must be at least 24 (a client may retry for a day)");
  if (config.jwt_secret && config.jwt_secret->size() < 32) Bad("PILLIVERY_JWT_SECRET", "must be at least 32 bytes");
  if (config.test_clock && !IsLoopbackUrl(config.kakaopay_base_url))
    Bad("PILLIVERY_TEST_CLOCK", "refused: the KakaoPay URL " + config.kakaopay_base_url +
                                    " is not on this machine; a test clock never runs against a real gateway");
  return config;
}

bool IsLoopbackUrl(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  std::string_view rest = std::string_view(url).substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  std::string_view host;
  if (rest.starts_with("[")) {
    host = rest.substr(1, rest.find(']') == std::string_view::npos ? 0 : rest.find(']') - 1);
  } else {
    host = rest.substr(0, rest.find(':'));
  }
  if (host == "localhost" || host == "::1") return true;
  // 127.x.y.z, digits and dots only
  if (!host.starts_with("127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      return false;
  }
  return dots == 3;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    auto name = entry.substr(0, eq);
    if (name.starts_with("PILLIVERY_")) env.emplace(name, entry.substr(eq + 1));
  }
  return env;
}

}  // namespace pillivery::infra
