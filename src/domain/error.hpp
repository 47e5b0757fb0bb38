#pragma once
// One error model: every failure a client can see is a domain::Error with a
// stable machine-readable code. It becomes problem+json in exactly one place
// (http/problem_middleware).
#include <stdexcept>
#include <string>
#include <vector>

namespace pillivery::domain {

enum class ErrorKind {
  kBadRequest,     // 400 malformed input
  kUnauthorized,   // 401
  kForbidden,      // 403
  kNotFound,       // 404 missing or not yours
  kConflict,       // 409 state or uniqueness
  kPayloadTooLarge,// 413
  kUnsupportedMediaType,  // 415
  kUnprocessable,  // 422 valid input that breaks a business rule
  kRateLimited,    // 429
  kUnavailable,    // 503 dependency down
  kInternal,       // 500 a bug, never bad input
};

struct FieldError {
  std::string field;
  std::string reason;
};

class Error : public std::runtime_error {
 public:
  // By value, as the callers hand it: std::runtime_error copies it anyway.
  Error(ErrorKind kind, std::string code, std::string detail,  // NOLINT(performance-unnecessary-value-param)
        std::vector<FieldError> errors = {})
      : std::runtime_error(detail),
        kind_(kind),
        code_(std::move(code)),
        errors_(std::move(errors)) {}

  ErrorKind Kind() const { return kind_; }
  const std::string& Code() const { return code_; }
  std::string Detail() const { return what(); }
  const std::vector<FieldError>& Errors() const { return errors_; }

  static Error Validation(std::vector<FieldError> errors) {
    return Error(ErrorKind::kBadRequest, "VALIDATION_FAILED",
                 "The request has invalid fields.", std::move(errors));
  }
  static Error NotFound(std::string code, std::string detail) {
    return Error(ErrorKind::kNotFound, std::move(code), std::move(detail));
  }

 private:
  ErrorKind kind_;
  std::string code_;
  std::vector<FieldError> errors_;
};

int HttpStatusOf(ErrorKind kind);
const char* TitleOf(ErrorKind kind);

// Collects field errors and throws one VALIDATION_FAILED error at the end, so a
// client sees every broken rule at once.
class Validator {
 public:
  void Add(std::string field, std::string reason) {
    errors_.push_back({std::move(field), std::move(reason)});
  }
  void Check(bool ok, std::string field, std::string reason) {
    if (!ok) Add(std::move(field), std::move(reason));
  }
  bool Ok() const { return errors_.empty(); }
  const std::vector<FieldError>& Errors() const { return errors_; }
  void ThrowIfAny() {
    if (!errors_.empty()) throw Error::Validation(std::move(errors_));
  }

 private:
  std::vector<FieldError> errors_;
};

}  // namespace pillivery::domain
