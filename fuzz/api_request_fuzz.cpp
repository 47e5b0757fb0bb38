// Whole HTTP requests through the whole store (issue #13): the real
// Application (router, middleware, handlers, services, SQLite) listening on
// 127.0.0.1, fed each input over a real socket. A 5xx answer other than 503,
// no answer within 5 s, a sanitizer report or a crash is a finding. Run:
//   ./build/asan/bin/api_request_fuzz -max_len=4096 -max_total_time=60 fuzz/corpus/api
//
// One store serves every input: a fresh Application per input (SQLite
// migrations, thread pools) would cut the rate many times over, and state left
// by earlier inputs (a signed-up account, a throttled login) is part of what
// is explored. So a finding may not reproduce from its input alone: with
// PILLIVERY_FUZZ_HISTORY=<dir>, every input is written there first, numbered,
// and the last kHistoryKept are kept; replay them in order, in one process:
//   ./build/asan/bin/api_request_fuzz $(ls -d <dir>/*)
#include "app/application.hpp"
#include "infra/config.hpp"
#include "infra/log.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

std::uint16_t g_port = 0;

constexpr std::uint64_t kHistoryKept = 512;
const char* g_history = std::getenv("PILLIVERY_FUZZ_HISTORY");
std::uint64_t g_inputs = 0;

std::string HistoryFile(std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "/%012llu", static_cast<unsigned long long>(number));
  return g_history + std::string(name);
}

// Written before the input runs, so it is there whatever ends the process.
void Remember(std::string_view input) {
  if (!g_history || !*g_history) return;
  ++g_inputs;
  if (std::FILE* file = std::fopen(HistoryFile(g_inputs).c_str(), "wb")) {
    std::fwrite(input.data(), 1, input.size(), file);
    std::fclose(file);
  }
  if (g_inputs > kHistoryKept) std::remove(HistoryFile(g_inputs - kHistoryKept).c_str());
}

// A stall is a finding too: the connections to the store's port and the stacks of
// every thread say where it is stuck (gdb attached to this process, when the
// machine has it).
void PrintStacks() {
  ::prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  char command[256];
  std::snprintf(command, sizeof command,
                "ss -tan '( sport = :%u or dport = :%u )' 1>&2; "
                "gdb -p %d -batch -ex 'thread apply all bt 40' </dev/null 1>&2 2>/dev/null || "
                "echo '(no gdb: no stacks)' 1>&2",
                static_cast<unsigned>(g_port), static_cast<unsigned>(g_port), static_cast<int>(::getpid()));
  if (std::system(command) != 0) std::fprintf(stderr, "(the stacks could not be printed)\n");
}

void StartStore() {
  char dir_template[] = "/tmp/pillivery-fuzz-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (!dir) std::abort();
  pillivery::infra::Config config;
  config.db_url = std::string("sqlite://") + dir + "/fuzz.db";
  config.http_port = 0;
  config.worker_threads = 2;
  config.gateway_threads = 2;
  config.db_pool_size = 2;
  config.log_level = "error";
  config.billing_scheduler = false;
  config.http_read_timeout_ms = 300;
  config.jwt_secret = "fuzz-jwt-secret-0123456789abcdef0123456789";
  config.internal_token = "fuzz-internal-token";
  config.admin_email = "admin@fuzz.test";
  config.admin_password = "fuzz-admin-1!";
  config.kakaopay_base_url = "http://127.0.0.1:9/online/v1/payment/";  // refused at once
  config.rate_limits = false;                                          // every input must reach its handler
  pillivery::infra::InitLogging(pillivery::infra::LogLevel::kError);
  static auto app =
      std::make_unique<pillivery::app::Application>(config, true, pillivery::app::ApplicationOverrides{nullptr, true});
  g_port = app->Start();
}

// Whether the socket turns readable (data, or the server's close) within `limit`.
// libFuzzer's once-a-second SIGALRM (its -timeout watch) interrupts poll: an
// interrupted poll waits again for the time left. (Treating EINTR as a timeout
// was the "abort" the exploration hit on 2026-12-02: no stall in the store.)
bool WaitReadable(int fd, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

// Sends the bytes, half-closes, and reads every answer until the server closes.
std::string Exchange(std::string_view bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(g_port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) std::abort();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server answered an error and closed: fine
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[8192];
  for (;;) {
    if (!WaitReadable(fd, std::chrono::seconds(5))) {
      std::fprintf(stderr, "no answer and no close within 5 s\n");
      PrintStacks();
      std::abort();
    }
    auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (g_port == 0) StartStore();
  Remember(std::string_view(reinterpret_cast<const char*>(data), size));
  auto answer = Exchange(std::string_view(reinterpret_cast<const char*>(data), size));
  // The answers, one after another: each an HTTP/1.x status line, headers and
  // Content-Length bytes of body; none a server error.
  // A HEAD answer announces a length it does not send: then only the first
  // answer is framed for certain.
  bool head = std::string_view(reinterpret_cast<const char*>(data), size).find("HEAD") != std::string_view::npos;
  std::size_t at = 0;
  while (at < answer.size()) {
    if (answer.compare(at, 7, "HTTP/1.") != 0 || answer.size() < at + 12) {
      std::fprintf(stderr, "not an HTTP answer at %zu:\n%s\n", at, answer.substr(at, 300).c_str());
      std::abort();
    }
    std::string status = answer.substr(at + 9, 3);
    if (status[0] == '5' && status != "503") {
      std::fprintf(stderr, "%s answer:\n%s\n", status.c_str(), answer.substr(at, 600).c_str());
      std::abort();
    }
    auto headers_end = answer.find("\r\n\r\n", at);
    if (headers_end == std::string::npos) std::abort();
    std::size_t length = 0;
    auto header = answer.find("\r\nContent-Length: ", at);
    if (header != std::string::npos && header < headers_end)
      length = std::strtoull(answer.c_str() + header + 18, nullptr, 10);
    if (status == "100") length = 0;
    if (head) break;
    at = headers_end + 4 + length;
  }
  return 0;
}
