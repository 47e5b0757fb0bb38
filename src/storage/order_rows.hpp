#pragma once
// Storage-internal: what the files OrderRepository is spread over share.
#include "domain/order.hpp"

#include <soci/soci.h>

#include <string>

namespace pillivery::storage {

// Appends one status change to the order's history.
void AddStatusChange(soci::session& s, long long order_id, domain::OrderStatus status, const std::string& at);

}  // namespace pillivery::storage
