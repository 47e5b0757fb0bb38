// A pooled MariaDB connection that the server dropped (MariaDB restarted, a
// network cut, KILL) is opened again on its next lease instead of failing
// every request it serves from then on. MariaDB only: SQLite has no server.
#include <gtest/gtest.h>

#include "domain/error.hpp"
#include "storage/connection_errors.hpp"
#include "storage/database.hpp"

#include <soci/mysql/soci-mysql.h>

#include <stdexcept>
#include "support/test_support.hpp"

namespace pillivery::testing {
namespace {

class DatabaseReconnectTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() != "mariadb") GTEST_SKIP() << "MariaDB only";
    url_ = FreshDatabaseUrl(GetParam(), dir_);
  }
  static long long ConnectionId(storage::Database& db) {
    auto lease = db.Acquire();
    long long id = 0;
    *lease << "SELECT CONNECTION_ID()", soci::into(id);
    return id;
  }
  TempDir dir_;
  std::string url_;
};

TEST_P(DatabaseReconnectTest, ConnectionKilledByTheServer_FailsOneRequestThenIsOpenedAgain) {
  storage::Database db(url_, 1);  // one connection: every lease gets the same one
  storage::Database admin(url_, 1);
  const long long first = ConnectionId(db);
  {
    auto lease = admin.Acquire();
    *lease << "KILL CONNECTION " + std::to_string(first);
  }
  // The request that meets the dead connection fails (nothing told it yet),
  // with an error the API answers as 503 DATABASE_UNAVAILABLE...
  try {
    ConnectionId(db);
    ADD_FAILURE() << "the killed connection answered";
  } catch (const std::exception& e) {
    auto known = storage::TransientDatabaseError(e);
    ASSERT_TRUE(known.has_value()) << e.what();
    EXPECT_EQ(known->Kind(), domain::ErrorKind::kUnavailable);
    EXPECT_EQ(known->Code(), "DATABASE_UNAVAILABLE");
  }
  // ...the next ones get a new connection with the session settings.
  const long long second = ConnectionId(db);
  EXPECT_NE(second, first);
  {
    auto lease = db.Acquire();
    std::string isolation;
    *lease << "SELECT @@SESSION.tx_isolation", soci::into(isolation);
    EXPECT_EQ(isolation, "READ-COMMITTED");
  }
  EXPECT_TRUE(db.Ping());
}

// MariaDB restarted: every pooled connection is gone. Once one request found
// out, the others are checked on their next lease instead of each failing once.
TEST_P(DatabaseReconnectTest, AllConnectionsKilled_OnlyTheFirstRequestFails) {
  storage::Database db(url_, 2);
  storage::Database admin(url_, 1);
  long long a = 0, b = 0;
  {
    auto first = db.Acquire();
    auto second = db.Acquire();
    *first << "SELECT CONNECTION_ID()", soci::into(a);
    *second << "SELECT CONNECTION_ID()", soci::into(b);
  }
  {
    auto lease = admin.Acquire();
    *lease << "KILL CONNECTION " + std::to_string(a);
    *lease << "KILL CONNECTION " + std::to_string(b);
  }
  EXPECT_ANY_THROW(ConnectionId(db));
  for (int i = 0; i < 4; ++i) {
    auto first = db.Acquire();
    auto second = db.Acquire();  // both connections, whichever failed first
    long long x = 0, y = 0;
    EXPECT_NO_THROW((*first << "SELECT CONNECTION_ID()", soci::into(x)));
    EXPECT_NO_THROW((*second << "SELECT CONNECTION_ID()", soci::into(y)));
  }
}

TEST_P(DatabaseReconnectTest, FailedWorkOnALiveConnection_KeepsTheConnection) {
  storage::Database db(url_, 1);
  const long long first = ConnectionId(db);
  EXPECT_ANY_THROW({
    auto lease = db.Acquire();
    *lease << "SELECT no_such_column FROM no_such_table";
  });
  EXPECT_EQ(ConnectionId(db), first);  // it answered PING: not reopened
}

// A deadlock's victim or a lock wait timeout rolled the whole transaction
// back: the client is told to retry (503), never given a 500.
TEST(TransientDatabaseError, DeadlockAndLockWaitTimeout_AreDatabaseBusy_OtherErrorsAreNot) {
  for (int code : {1205, 1213}) {
    auto known = storage::TransientDatabaseError(soci::mysql_soci_error("Deadlock found", code));
    ASSERT_TRUE(known.has_value()) << code;
    EXPECT_EQ(known->Kind(), domain::ErrorKind::kUnavailable);
    EXPECT_EQ(known->Code(), "DATABASE_BUSY");
  }
  EXPECT_FALSE(storage::TransientDatabaseError(soci::mysql_soci_error("Duplicate entry", 1062)).has_value());
  EXPECT_FALSE(storage::TransientDatabaseError(std::runtime_error("other")).has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, DatabaseReconnectTest, ::testing::ValuesIn(Engines()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pillivery::testing
