#pragma once
// Idempotency-Key handling for POST /api/orders and the payment POSTs.
#include "http/message.hpp"
#include "storage/idempotency_repository.hpp"

#include <functional>
#include <optional>
#include <string>

namespace pillivery::api {

// The validated Idempotency-Key header (≤ 255 printable ASCII), if any; 400 otherwise.
std::optional<std::string> IdempotencyKey(const http::Request& request);

// Runs `handle` at most once per (user, scope, key): a replay with the same body
// answers the stored first response, a different body 422 IDEMPOTENCY_KEY_REUSED,
// a concurrent duplicate 409 IDEMPOTENCY_IN_PROGRESS. Without a key it just runs.
http::Response RunIdempotent(storage::IdempotencyRepository& store, const http::Request& request, std::int64_t user_id,
                             const std::string& scope, std::int64_t now_ms,
                             const std::function<http::Response()>& handle);

}  // namespace pillivery::api
