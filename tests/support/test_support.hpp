#pragma once
// Shared test helpers: temporary directories, the database engines under test,
// a small real HTTP client, and child processes of the built binaries.
#include "infra/clock.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pillivery::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& Path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The engines a storage/API suite runs on: "sqlite" always; "mariadb" when
// PILLIVERY_TEST_MARIADB_URL names a server (scripts/test-services.sh starts one).
std::vector<std::string> Engines();
// A fresh, empty database URL for the engine (a new schema on MariaDB).
std::string FreshDatabaseUrl(const std::string& engine, const TempDir& dir);

struct HttpResult {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// Contract recording: with PILLIVERY_CONTRACT_LOG_DIR set, every answer HttpCall gets from a
// watched API server is appended to <dir>/<pid>.jsonl (test, method, target, status, content
// type, body); tools/api/contract.mjs then checks each against the OpenAPI document.
// ApiTest watches its server; a test that starts another one watches it too.
void WatchApiServer(const std::string& base_url);
void UnwatchApiServer(const std::string& base_url);

// Blocking libcurl call; no redirects followed.
HttpResult HttpCall(const std::string& method, const std::string& url, const std::string& body = "",
                    const std::vector<std::string>& headers = {});

// A child process of a built binary, killed (SIGTERM, then SIGKILL) on destruction.
class ChildProcess {
 public:
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env = {},
               const std::optional<std::filesystem::path>& log_file = std::nullopt);
  ~ChildProcess();
  int Pid() const { return pid_; }
  // SIGTERM and wait; returns the exit status (or -signal).
  int Terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));
  void Kill();
  bool Running();

 private:
  int pid_ = -1;
  std::optional<int> status_;
};

std::string BinaryPath(const std::string& name);

// The built pg-simulator on a free port with its ledger in `db_file`; stopped on destruction.
class Simulator {
 public:
  explicit Simulator(const std::filesystem::path& db_file);
  const std::string& BaseUrl() const { return base_; }
  std::string PaymentBaseUrl() const { return base_ + "/online/v1/payment/"; }
  void Stop() { process_.Terminate(); }

 private:
  int port_;
  ChildProcess process_;
  std::string base_;
};
// Polls url until it answers 200 or the timeout passes.
bool WaitForHttp(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(20));
// A free TCP port on 127.0.0.1.
int FreePort();
// Real time, for what stamps rows (created_at, applied_at) in tests that do not move time.
inline const infra::Clock& RealClock() {
  static const infra::SystemClock clock;
  return clock;
}

}  // namespace pillivery::testing
