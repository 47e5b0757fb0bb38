#pragma once
// Settings come from an optional TOML file, then PILLIVERY_* environment
// variables, which win (product.md §3).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace pillivery::infra {

struct Config {
  std::string http_address = "127.0.0.1";
  std::uint16_t http_port = 8080;
  int io_threads = 2;
  // SIGTERM: readiness answers 503 DRAINING for this long while requests are
  // still served (with Connection: close), then the server stops; the whole
  // stop stays within 10 s (in-flight requests get 10 s minus this).
  int drain_seconds = 2;
  // 0: chosen by engine. SQLite work is CPU only, so 2 per core; more threads
  // only add context switches (bench/orders: 7.7k vs 5.8k req/s at 4 vs 32).
  // MariaDB calls wait on the network, so 32 keep the cores busy.
  int worker_threads = 0;
  int gateway_threads = 256;  // handlers that wait on the payment gateway
  // A request must arrive whole within this from its first byte (slow clients).
  int http_read_timeout_ms = 15000;
  std::string db_url = "sqlite://pillivery.db";
  int db_pool_size = 16;
  std::optional<std::string> redis_url;     // set: several servers share views and cache invalidation through it
  std::string redis_prefix = "pillivery:";  // of every key and channel, so stores can share one Redis
  int views_flush_seconds = 5;              // how often counted views are added to items.views
  int views_max_pending = 100'000;          // Redis mode: visitors kept while Redis is unreachable
  std::optional<std::string> jwt_secret;    // generated beside the database when unset
  std::string kakaopay_base_url = "http://127.0.0.1:9090/online/v1/payment/";
  std::string kakaopay_secret_key = "DEV_SECRET_KEY";
  // Bulkhead: concurrent gateway calls. Matches http.gateway_threads, the pool that
  // runs gateway-bound handlers, so no handler queues twice (docs/benchmarks.md).
  int payment_max_concurrent_calls = 256;
  // Approve sends per approval, each after a lookup showed the tid unapproved.
  int payment_approve_attempts = 3;
  std::optional<std::string> public_base_url;  // default http://127.0.0.1:{port}
  std::optional<std::string> internal_token;   // random when unset
  std::string internal_networks = "127.0.0.0/8";
  // Proxies (CIDR list) whose X-Forwarded-For is believed: the client address is
  // the right-most hop that is not one of them. Empty: the TCP peer is the client.
  std::string trusted_proxies;
  // GET /metrics answers callers from these networks, or with this bearer token.
  std::string metrics_networks = "127.0.0.0/8,::1/128";
  std::optional<std::string> metrics_token;
  // Token buckets on abusable POSTs, "N/period" (period 30s, 1m, 1h; "off" for
  // none): per client address and per account. Redis-backed when redis_url is set.
  bool rate_limits = true;
  std::string rate_limit_signup_client = "10/1h";
  std::string rate_limit_login_client = "30/1m";
  std::string rate_limit_login_account = "10/1m";
  std::string rate_limit_order_client = "60/1m";
  std::string rate_limit_order_account = "20/1m";
  std::string rate_limit_payment_client = "60/1m";
  std::string rate_limit_payment_account = "20/1m";
  std::string rate_limit_review_client = "30/1m";
  std::string rate_limit_review_account = "10/1m";
  std::string timezone = "Asia/Seoul";
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;
  std::string log_level = "info";
  int cache_ttl_seconds = 30;
  // The in-memory catalog index (GET /api/items): on unless turned off; how
  // often it reads the change feed, and how often stock and statistics.
  bool catalog_index = true;
  int catalog_index_poll_ms = 250;
  int catalog_index_stats_seconds = 5;
  int order_expiry_minutes = 30;
  // Stock hoarding: unpaid orders an account may hold at once, and the quantity
  // of one item across them (409 TOO_MANY_OPEN_ORDERS / OPEN_QUANTITY_EXCEEDED).
  int order_max_open_unpaid = 5;
  int order_max_open_quantity_per_item = 99;
  // An order whose payment was quit or failed at the gateway keeps its stock
  // this long (a retry), not the whole expiry.
  int order_abandoned_payment_minutes = 5;
  // Idempotency-Key records are purged in the background once this old (at least 24).
  int idempotency_retention_hours = 24;
  std::string storefront_result_url = "/payment/result";
  // The built web app (web/dist) served at / with index.html for client routes; unset: none.
  std::optional<std::string> web_root;
  // Uploaded item images, one file per item (images/items/{id}.{png,jpg,webp}).
  std::string image_dir = "images";
  std::optional<std::string> notification_webhook_url;  // customer notices are also POSTed here
  std::string billing_time = "04:00";                   // single-node mode: serve runs the billing job daily then
  bool billing_scheduler = true;
  // The test clock (issue #12): an admin moves the business clock forward
  // through /api/admin/test-clock. Refused with a gateway that is not on this
  // machine (a production KakaoPay URL).
  bool test_clock = false;
  // Auth: token lifetimes and the OAuth providers (tests point these at a fake provider).
  int access_token_minutes = 30;
  int refresh_token_days = 14;
  // How long a resolved access token is trusted without re-reading the account
  // (other servers see a logout or withdrawal within this); 0 turns it off.
  int principal_cache_ms = 5000;
  std::optional<std::string> kakao_client_id;  // a provider without a client id is disabled
  std::optional<std::string> kakao_client_secret;
  std::string kakao_authorize_url = "https://kauth.kakao.com/oauth/authorize";
  std::string kakao_token_url = "https://kauth.kakao.com/oauth/token";
  std::string kakao_userinfo_url = "https://kapi.kakao.com/v2/user/me";
  std::optional<std::string> google_client_id;
  std::optional<std::string> google_client_secret;
  std::string google_authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
  std::string google_token_url = "https://oauth2.googleapis.com/token";
  std::string google_userinfo_url = "https://openidconnect.googleapis.com/v1/userinfo";

  std::string PublicBaseUrl() const {
    return public_base_url ? *public_base_url : "http://127.0.0.1:" + std::to_string(http_port);
  }
};

// A URL whose host is this machine (localhost, 127.0.0.0/8, ::1): the simulator, never a real gateway.
bool IsLoopbackUrl(const std::string& url);

// env: name → value (tests pass their own; main passes the process environment).
Config LoadConfig(const std::optional<std::string>& toml_path, const std::map<std::string, std::string>& env);
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace pillivery::infra
