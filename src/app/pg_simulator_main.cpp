// pg-simulator: the KakaoPay-compatible gateway simulator (see src/simulator/README.md).
#include "http/middleware.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "infra/clock.hpp"
#include "infra/log.hpp"
#include "simulator/faults.hpp"
#include "simulator/offset_clock.hpp"
#include "simulator/route_table.hpp"
#include "simulator/simulated_gateway.hpp"
#include "simulator/store.hpp"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <exception>

namespace sim = pillivery::simulator;
namespace infra = pillivery::infra;
namespace http = pillivery::http;

int main(int argc, char** argv) {
  CLI::App cli{"pg-simulator: a KakaoPay-compatible payment gateway simulator"};
  std::string address = "127.0.0.1";
  std::uint16_t port = 9090;
  std::string db_path;
  std::string secret_key;
  std::string public_url;
  int workers = 16;
  int io_threads = 2;
  std::vector<std::string> one_time_cids{"TC0ONETIME"};
  std::vector<std::string> recurring_cids{"TCSUBSCRIP"};
  std::string time_zone = "Asia/Seoul";
  cli.add_option("--port", port, "listen port (0 picks a free one)")->capture_default_str();
  cli.add_option("--address", address, "listen address")->capture_default_str();
  cli.add_option("--db", db_path, "SQLite file for payments, SIDs and the ledger (default: memory only)");
  cli.add_option("--secret-key", secret_key, "accept only this key (default: any non-empty key)");
  cli.add_option("--public-url", public_url, "base URL of the approval page (default: from the Host header)");
  cli.add_option("--workers", workers, "worker threads for handlers (injected latency waits on a timer, not on one)")
      ->check(CLI::Range(1, 8192))
      ->capture_default_str();
  cli.add_option("--io-threads", io_threads, "I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  cli.add_option("--cid", one_time_cids, "one-time CIDs accepted")->capture_default_str();
  cli.add_option("--subscription-cid", recurring_cids, "recurring CIDs accepted")->capture_default_str();
  cli.add_option("--timezone", time_zone, "time zone of KakaoPay timestamps")->capture_default_str();
  CLI11_PARSE(cli, argc, argv);

  infra::InitLogging(infra::LogLevel::kInfo);
  infra::SetProcessTimeZone(time_zone);

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    sim::OffsetClock clock;
    sim::GatewayOptions options;
    options.one_time_cids = one_time_cids;
    options.recurring_cids = recurring_cids;
    sim::Gateway gateway(clock, options, db_path.empty() ? nullptr : sim::OpenSqliteStore(db_path));
    sim::FaultInjector faults;

    http::Router router;
    // In memory a payment call is a few microseconds of work under the gateway
    // mutex: cheaper on the I/O thread than handed to a worker and back.
    auto payment_execution = db_path.empty() ? http::Execution::kInline : http::Execution::kBlocking;
    sim::AddSimulatorRoutes(router, {&gateway, &faults, &clock, secret_key, public_url, payment_execution});

    http::ServerOptions server_options;
    server_options.address = address;
    server_options.port = port;
    server_options.worker_threads = workers;
    server_options.io_threads = io_threads;
    http::Server server(server_options, router, {http::RequestIdMiddleware(), http::ProblemMiddleware()});
    std::uint16_t bound = server.Start();
    infra::LogInfo(
        "pg-simulator listening",
        {{"address", address}, {"port", bound}, {"db", db_path.empty() ? "memory" : db_path}, {"workers", workers}});

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    infra::LogInfo("pg-simulator stopping", {{"signal", signal_number}});
    server.Stop();
  } catch (const std::exception& e) {
    infra::LogError("pg-simulator failed", {{"error", e.what()}});
    return 1;
  }
  return 0;
}
