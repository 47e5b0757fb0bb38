#include "batch/charge_cycles.hpp"

namespace pillivery::batch {

Answer AnswerOf(std::optional<domain::ChargeResult> result) {
  if (!result) return Answer::kUnknown;
  switch (*result) {
    case domain::ChargeResult::kPaid:
      return Answer::kPaid;
    case domain::ChargeResult::kSoftDeclined:
      return Answer::kSoftDeclined;
    case domain::ChargeResult::kHardDeclined:
      return Answer::kHardDeclined;
    case domain::ChargeResult::kOutOfStock:
      return Answer::kSkipped;
    case domain::ChargeResult::kPending:  // a claim still open answers as an unknown outcome
    case domain::ChargeResult::kUnknown:
      return Answer::kUnknown;
  }
  return Answer::kUnknown;
}

}  // namespace pillivery::batch
