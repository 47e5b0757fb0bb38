#pragma once
// Starts the whole API server in-process on port 0 against a fresh database of
// the engine under test, and talks to it over real HTTP.
#include "app/application.hpp"
#include "service/accounts/jwt_codec.hpp"
#include "storage/database.hpp"
#include "storage/item_repository.hpp"
#include "storage/migrations.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/catalog_fixtures.hpp"
#include "support/test_support.hpp"

namespace pillivery::testing {

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    config_.db_url = FreshDatabaseUrl(GetParam(), dir_);
    config_.http_port = 0;
    config_.worker_threads = 8;
    config_.gateway_threads = 8;
    config_.db_pool_size = 8;
    config_.log_level = "warn";
    config_.billing_scheduler = false;  // tests run the billing job themselves
    // Suites sign up, log in and order many times from 127.0.0.1: the abuse
    // limits have their own tests (tests/attack, rate_limit tests), which turn them on.
    config_.rate_limits = false;
    config_.order_max_open_unpaid = 1000;
    config_.order_max_open_quantity_per_item = 1000000;
    Configure(config_);
    {
      storage::Database db(config_.db_url, 1);
      storage::Migrate(db, testing::RealClock());
      Seed(db);
    }
    app_ = std::make_unique<app::Application>(config_, true, Overrides());
    base_ = "http://127.0.0.1:" + std::to_string(app_->Start());
    WatchApiServer(base_);  // its answers are checked against the OpenAPI document (docs/testing.md)
  }
  void TearDown() override {
    UnwatchApiServer(base_);
    app_.reset();
  }

  // Override to change the configuration before the database and server start.
  virtual void Configure(infra::Config& config) {}
  // Override to give the server the test's clock, cheap password hashing, ...
  virtual app::ApplicationOverrides Overrides() { return {}; }

  // Override to put other data in place before the server starts.
  virtual void Seed(storage::Database& db) {
    storage::ItemRepository items(db, testing::RealClock());
    items.InsertMany(SampleCatalog());
  }

  HttpResult Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return HttpCall("GET", base_ + path, "", headers);
  }
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::vector<std::string>& headers = {}) {
    return HttpCall(method, base_ + path, body, headers);
  }
  static boost::json::value Json(const HttpResult& r) { return boost::json::parse(r.body); }

  // A bearer header of a signed-in user, signed with the secret the test configured (Configure), on its clock.
  std::vector<std::string> BearerOf(std::int64_t user_id, const infra::Clock& clock) const {
    service::JwtCodec jwt(config_.jwt_secret.value(), clock, std::chrono::minutes(30));
    return {"Authorization: Bearer " + jwt.Issue(user_id, {domain::Role::kUser}, "session").token};
  }
  // An item's stored view count, read straight from the database.
  std::int64_t StoredViews(std::int64_t item) const {
    storage::Database db(config_.db_url, 1);
    return storage::ItemRepository(db, testing::RealClock()).FindById(item, true)->views;
  }

  TempDir dir_;
  infra::Config config_;
  std::unique_ptr<app::Application> app_;
  std::string base_;
};

}  // namespace pillivery::testing
