#include "domain/error.hpp"

namespace pillivery::domain {

int HttpStatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return 400;
    case ErrorKind::kUnauthorized: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kPayloadTooLarge: return 413;
    case ErrorKind::kUnsupportedMediaType: return 415;
    case ErrorKind::kUnprocessable: return 422;
    case ErrorKind::kRateLimited: return 429;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

const char* TitleOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "Bad Request";
    case ErrorKind::kUnauthorized: return "Unauthorized";
    case ErrorKind::kForbidden: return "Forbidden";
    case ErrorKind::kNotFound: return "Not Found";
    case ErrorKind::kConflict: return "Conflict";
    case ErrorKind::kPayloadTooLarge: return "Payload Too Large";
    case ErrorKind::kUnsupportedMediaType: return "Unsupported Media Type";
    case ErrorKind::kUnprocessable: return "Unprocessable Content";
    case ErrorKind::kRateLimited: return "Too Many Requests";
    case ErrorKind::kUnavailable: return "Service Unavailable";
    case ErrorKind::kInternal: return "Internal Server Error";
  }
  return "Internal Server Error";
}

}  // namespace pillivery::domain
