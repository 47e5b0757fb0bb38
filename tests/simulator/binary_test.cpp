// The built pg-simulator binary, end to end: start, charge, stop, restart with
// the same --db, and find the ledger still there.
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace pillivery::simulator {
namespace {

using pillivery::testing::BinaryPath;
using pillivery::testing::ChildProcess;
using pillivery::testing::HttpCall;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PgSimulatorBinaryTest, Binary_ChargesOverHttpAndKeepsTheLedgerAcrossRestart) {
  if (!std::filesystem::exists(BinaryPath("pg-simulator"))) GTEST_SKIP() << "pg-simulator is not built";
  pillivery::testing::TempDir dir;
  std::string db = (dir.Path() / "sim.db").string();
  std::filesystem::path log = dir.Path() / "sim.log";
  int port = pillivery::testing::FreePort();
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args{"--port", std::to_string(port), "--db", db, "--workers", "16"};
  std::string charge = R"({"cid":"TCSUBSCRIP","sid":"SSEED000000000000099","partner_order_id":"cycle-1",)"
                       R"("partner_user_id":"u1","item_name":"Zinc","quantity":1,"total_amount":9900,)"
                       R"("tax_free_amount":0})";
  {
    ChildProcess simulator(BinaryPath("pg-simulator"), args, {}, log);
    ASSERT_TRUE(pillivery::testing::WaitForHttp(base + "/__health")) << ReadFile(log);
    auto r = HttpCall("POST", base + "/online/v1/payment/subscription", charge, {"Authorization: SECRET_KEY k"});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(simulator.Terminate(), 0);
  }
  std::string first_log = ReadFile(log);
  EXPECT_NE(first_log.find(R"("port":)" + std::to_string(port)), std::string::npos) << first_log;

  ChildProcess restarted(BinaryPath("pg-simulator"), args, {}, log);
  ASSERT_TRUE(pillivery::testing::WaitForHttp(base + "/__health")) << ReadFile(log);
  auto ledger = HttpCall("GET", base + "/__ledger");
  ASSERT_EQ(ledger.status, 200);
  auto payments = boost::json::parse(ledger.body).at("payments").as_array();
  ASSERT_EQ(payments.size(), 1u);
  EXPECT_EQ(payments[0].at("partner_order_id").as_string(), "cycle-1");
  EXPECT_EQ(payments[0].at("amount").as_int64(), 9900);
  auto duplicate = HttpCall("POST", base + "/online/v1/payment/subscription", charge, {"Authorization: SECRET_KEY k"});
  EXPECT_EQ(boost::json::parse(duplicate.body).at("error_code").as_int64(), -785);
  EXPECT_EQ(restarted.Terminate(), 0);
}

}  // namespace
}  // namespace pillivery::simulator
