// The code table: one closed list of codes, each with one wire string and one kind.
#include "domain/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace pillivery::domain {
namespace {

TEST(ErrorCodeTable, EachCodeHasItsOwnScreamingSnakeWireString) {
  std::set<std::string_view> seen;
  for (const auto& row : ErrorCodeTable()) {
    EXPECT_TRUE(seen.insert(row.text).second) << row.text << " twice";
    for (char c : row.text) EXPECT_TRUE((c >= 'A' && c <= 'Z') || c == '_') << row.text;
  }
  EXPECT_EQ(seen.size(), ErrorCodeTable().size());
}

TEST(ErrorCodeTable, AnErrorCarriesTheKindAndWireStringOfItsCode) {
  Error error(ErrorCode::kOutOfStock, "Some items do not have enough stock.", {{"lines", "item 3"}});
  EXPECT_EQ(error.Code(), "OUT_OF_STOCK");
  EXPECT_EQ(error.Kind(), ErrorKind::kConflict);
  EXPECT_TRUE(error.Is(ErrorCode::kOutOfStock));
  EXPECT_FALSE(error.Is(ErrorCode::kItemNotFound));
  EXPECT_EQ(error.Detail(), "Some items do not have enough stock.");
  EXPECT_FALSE(error.RetryAfter());
  auto validation = Error::Validation({{"quantity", "must be positive"}});
  EXPECT_EQ(validation.Code(), "VALIDATION_FAILED");
  EXPECT_EQ(validation.Kind(), ErrorKind::kBadRequest);
}

}  // namespace
}  // namespace pillivery::domain
