#include "api/idempotency.hpp"

#include "domain/error.hpp"

#include <sodium.h>

namespace pillivery::api {

using domain::Error;
using domain::ErrorCode;

std::optional<std::string> IdempotencyKey(const http::Request& request) {
  auto key = request.HeaderValue("Idempotency-Key");
  if (!key) return std::nullopt;
  bool printable = !key->empty() && key->size() <= 255;
  for (char c : *key) printable = printable && c > 0x20 && c < 0x7f;
  if (!printable) throw Error::Validation({{"Idempotency-Key", "must be 1 to 255 printable ASCII characters"}});
  return std::string(*key);
}

namespace {
std::string Sha256Hex(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}
}  // namespace

http::Response RunIdempotent(storage::IdempotencyRepository& store, const http::Request& request, std::int64_t user_id,
                             const std::string& scope, std::int64_t now_ms,
                             const std::function<http::Response()>& handle) {
  auto key = IdempotencyKey(request);
  if (!key) return handle();
  auto begin = store.Begin(user_id, scope, *key, Sha256Hex(request.body), now_ms);
  using Outcome = storage::IdempotencyBegin::Outcome;
  switch (begin.outcome) {
    case Outcome::kReplay: {
      http::Response replay;
      replay.status = begin.status;
      replay.body = std::move(begin.body);
      replay.SetHeader("Idempotent-Replayed", "true");
      return replay;
    }
    case Outcome::kMismatch:
      throw Error(ErrorCode::kIdempotencyKeyReused, "This Idempotency-Key was used with a different request body.");
    case Outcome::kInProgress:
      throw Error(ErrorCode::kIdempotencyInProgress, "A request with this Idempotency-Key is still being processed.");
    case Outcome::kProceed:
      break;
  }
  http::Response response;
  try {
    response = handle();
  } catch (...) {
    store.Abandon(user_id, scope, *key);  // the request changed nothing: a retry may run
    throw;
  }
  if (response.status >= 200 && response.status < 300)
    store.Complete(user_id, scope, *key, response.status, response.body);
  else
    store.Abandon(user_id, scope, *key);
  return response;
}

}  // namespace pillivery::api
