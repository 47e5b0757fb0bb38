#pragma once
// What the handlers need, built once in app/ and passed by reference.
#include "infra/config.hpp"
#include "infra/ttl_cache.hpp"
#include "service/catalog_service.hpp"
#include "storage/database.hpp"

#include <prometheus/registry.h>

namespace pillivery::api {

struct ApiContext {
  const infra::Config& config;
  storage::Database& database;
  prometheus::Registry& registry;
  infra::TtlCache& cache;
  service::CatalogService& catalog;
};

}  // namespace pillivery::api
