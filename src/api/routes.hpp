#pragma once
#include "api/api_context.hpp"
#include "http/router.hpp"

namespace pillivery::api {

// The one route table of the API server.
void AddRoutes(http::Router& router, ApiContext& context);

// Cache keys, shared by the readers and the admin writers that invalidate them.
std::string ItemCacheKey(std::int64_t id);
inline constexpr const char* kMainPageCacheKey = "main";
inline constexpr const char* kItemListCachePrefix = "items?";
inline constexpr const char* kCategoriesCacheKey = "categories";

}  // namespace pillivery::api
