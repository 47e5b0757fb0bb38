#pragma once
// The wire shape of catalog items (product.md §2 Representations).
#include "domain/item.hpp"
#include "domain/item_query.hpp"
#include "http/message.hpp"
#include "storage/item_repository.hpp"

#include <boost/json/value.hpp>

namespace pillivery::api {

boost::json::object ItemSummaryJson(const domain::Item& item);
boost::json::object ItemDetailJson(const domain::Item& item);
boost::json::value PageInfoJson(int page, int size, std::int64_t total);
// {"data": [...], "pageInfo": {...}}: the one page shape of every list endpoint.
http::Response PageResponse(boost::json::array data, const domain::PageRequest& page, std::int64_t total);

}  // namespace pillivery::api
