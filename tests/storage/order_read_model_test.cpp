#include "storage/order_read_model.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pillivery::storage {
namespace {

using domain::OrderStatus;

TEST(OrderReadModelTest, ReadsEitherEnginesSpellingOfTheObjects) {
  // SQLite's json_object is compact; MariaDB's JSON_OBJECT puts a space after each separator.
  auto sqlite = ReadLinesJson(
      R"({"id":5,"item":1,"name":"A \"B\"","thumbnail":"/t.png","quantity":2,"period":null,"origin":100,"real":90},)"
      R"({"id":6,"item":3,"name":"비타민","thumbnail":"","quantity":1,"period":30,"origin":50,"real":50})");
  auto mariadb = ReadLinesJson(
      R"({"id": 5, "item": 1, "name": "A \"B\"", "thumbnail": "/t.png", "quantity": 2, "period": null, )"
      R"("origin": 100, "real": 90},{"id": 6, "item": 3, "name": "비타민", "thumbnail": "", "quantity": 1, )"
      R"("period": 30, "origin": 50, "real": 50})");
  for (const auto* lines : {&sqlite, &mariadb}) {
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0].line_id, 5);
    EXPECT_EQ((*lines)[0].product_name, "A \"B\"");
    EXPECT_EQ((*lines)[0].quantity, 2);
    EXPECT_FALSE((*lines)[0].period);
    EXPECT_EQ((*lines)[0].unit_real_price, 90);
    EXPECT_EQ((*lines)[1].product_name, "비타민");
    EXPECT_EQ((*lines)[1].period, 30);
  }
  auto history = ReadHistoryJson(R"({"status": "PENDING_PAYMENT", "at": "t1"},{"status":"PAID","at":"t2"})");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].status, OrderStatus::kPaid);
  EXPECT_EQ(history[1].at, "t2");
}

TEST(OrderReadModelTest, NothingYetIsNoRows) {
  EXPECT_TRUE(ReadLinesJson(std::nullopt).empty());
  EXPECT_TRUE(ReadLinesJson("").empty());
  EXPECT_TRUE(ReadHistoryJson(std::nullopt).empty());
}

TEST(OrderReadModelTest, AColumnThatIsNotWhatTheTriggersWriteIsAnError) {
  EXPECT_THROW(ReadLinesJson("{\"id\":1"), std::runtime_error);                             // cut short
  EXPECT_THROW(ReadLinesJson("{\"id\":1,\"item\":2}"), std::runtime_error);                 // fields missing
  EXPECT_THROW(ReadLinesJson("[1]"), std::runtime_error);                                   // not objects
  EXPECT_THROW(ReadHistoryJson("{\"status\":\"LOST\",\"at\":\"t\"}"), std::runtime_error);  // no such status
  EXPECT_THROW(ReadHistoryJson("{\"status\":1,\"at\":\"t\"}"), std::runtime_error);
}

}  // namespace
}  // namespace pillivery::storage
