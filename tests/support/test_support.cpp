#include "support/test_support.hpp"

#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include "storage/database.hpp"

#include <gtest/gtest.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <mutex>
#include <set>

namespace pillivery::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pillivery-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> Engines() {
  std::vector<std::string> engines{"sqlite"};
  if (const char* url = std::getenv("PILLIVERY_TEST_MARIADB_URL"); url && *url) engines.push_back("mariadb");
  return engines;
}

std::string FreshDatabaseUrl(const std::string& engine, const TempDir& dir) {
  if (engine == "sqlite") return "sqlite://" + (dir.Path() / "test.db").string();
  std::string base = std::getenv("PILLIVERY_TEST_MARIADB_URL");  // mariadb://u:p@h:port/
  static std::atomic<int> counter{0};
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                     std::to_string(std::random_device{}() % 100000);
  auto parsed = storage::ParseDbUrl(base + (base.ends_with("/") ? "" : "/") + "mysql");
  soci::session admin(soci::mysql, parsed.connect_string);
  admin << ("DROP DATABASE IF EXISTS " + name);
  admin << ("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  return base + (base.ends_with("/") ? "" : "/") + name;
}

namespace {
size_t WriteBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
size_t WriteHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}
}  // namespace

namespace {

struct ContractLog {
  std::mutex mutex;
  std::set<std::string> servers;  // base URLs whose answers are recorded
};
ContractLog& Contract() {
  static ContractLog log;
  return log;
}

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// One line per answer of a watched server, for tools/api/contract.mjs.
void RecordForContract(const std::string& method, const std::string& url, const HttpResult& result) {
  const char* dir = std::getenv("PILLIVERY_CONTRACT_LOG_DIR");
  if (!dir || !*dir || result.status == 0) return;
  auto& log = Contract();
  std::lock_guard lock(log.mutex);
  std::string target;
  for (const auto& base : log.servers)
    if (url.rfind(base, 0) == 0 && url.size() > base.size() && url[base.size()] == '/')
      target = url.substr(base.size());
  if (target.empty()) return;
  std::string test = "(outside a test)";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info())
    test = std::string(info->test_suite_name()) + "." + info->name();
  boost::json::object line{{"test", test},
                           {"method", method},
                           {"target", target},
                           {"status", result.status},
                           {"contentType", result.Header("content-type")},
                           {"contentEncoding", result.Header("content-encoding")},
                           {"body", Base64(result.body)}};
  std::ofstream out(std::filesystem::path(dir) / (std::to_string(::getpid()) + ".jsonl"), std::ios::app);
  out << boost::json::serialize(line) << "\n";
}

}  // namespace

void WatchApiServer(const std::string& base_url) {
  std::lock_guard lock(Contract().mutex);
  Contract().servers.insert(base_url);
}

void UnwatchApiServer(const std::string& base_url) {
  std::lock_guard lock(Contract().mutex);
  Contract().servers.erase(base_url);
}

HttpResult HttpCall(const std::string& method, const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers) {
  HttpResult result;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  if (!body.empty()) {
    bool has_type = false;
    for (const auto& h : headers) has_type |= h.rfind("Content-Type", 0) == 0;
    if (!has_type) list = curl_slist_append(list, "Content-Type: application/json");
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  RecordForContract(method, url, result);
  return result;
}

ChildProcess::ChildProcess(const std::string& binary, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env,
                           const std::optional<std::filesystem::path>& log_file) {
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    int fd = ::open(log_file ? log_file->c_str() : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!status_) Terminate(std::chrono::seconds(5));
}

bool ChildProcess::Running() {
  if (status_) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return false;
  }
  return true;
}

int ChildProcess::Terminate(std::chrono::milliseconds grace) {
  if (status_) return *status_;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Running()) return *status_;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Kill();
  return *status_;
}

void ChildProcess::Kill() {
  if (status_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

Simulator::Simulator(const std::filesystem::path& db_file)
    : port_(FreePort()),
      process_(BinaryPath("pg-simulator"), {"--port", std::to_string(port_), "--db", db_file.string()}),
      base_("http://127.0.0.1:" + std::to_string(port_)) {
  if (!WaitForHttp(base_ + "/__ledger")) throw std::runtime_error("pg-simulator did not start");
}

std::string BinaryPath(const std::string& name) { return std::string(PILLIVERY_BIN_DIR) + "/" + name; }

bool WaitForHttp(const std::string& url, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HttpCall("GET", url).status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace pillivery::testing
