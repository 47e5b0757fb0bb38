#pragma once
// One result row as code outside storage reads it (the outbox's SQL, which
// still lives in the events module): the row readers of row_reader.hpp behind
// a type that names no driver, so a header outside storage can take a row.
#include <cstdint>
#include <optional>
#include <string>

namespace soci {
class row;
}

namespace pillivery::storage {

class RowView {
 public:
  explicit RowView(const soci::row& row) : row_(row) {}
  std::int64_t Int64(std::size_t i) const;
  std::string String(std::size_t i) const;  // NULL → ""
  std::optional<std::int64_t> OptionalInt64(std::size_t i) const;

 private:
  const soci::row& row_;
};

}  // namespace pillivery::storage
