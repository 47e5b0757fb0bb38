#include "infra/log.hpp"

#include "infra/clock.hpp"
#include "infra/json_writer.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <mutex>

namespace pillivery::infra {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;

std::shared_ptr<spdlog::logger> Logger() {
  std::lock_guard lock(g_mutex);
  if (!g_logger) {
    g_logger = std::make_shared<spdlog::logger>("pillivery", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    g_logger->set_pattern("%v");
    g_logger->flush_on(spdlog::level::info);
  }
  return g_logger;
}

const char* NameOf(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// Log lines carry real time (never the test clock's), read from the system clock's one edge.
std::string NowIso() {
  auto now = SystemClock().Now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

}  // namespace

void InitLogging(LogLevel min_level) { g_min_level = static_cast<int>(min_level); }

void SetLogStream(std::ostream* stream) {
  std::lock_guard lock(g_mutex);
  if (stream) {
    g_logger =
        std::make_shared<spdlog::logger>("pillivery", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream, true));
  } else {
    g_logger = std::make_shared<spdlog::logger>("pillivery", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  }
  g_logger->set_pattern("%v");
  g_logger->flush_on(spdlog::level::info);
}

void RedactPaymentIds(std::string& text) {
  constexpr std::size_t kDigits = 19;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i + kDigits < text.size(); ++i) {
    if ((text[i] != 'S' && text[i] != 'T') || (i > 0 && alnum(text[i - 1]))) continue;
    std::size_t end = i + 1 + kDigits;
    if (end < text.size() && alnum(text[end])) continue;
    bool digits = true;
    for (std::size_t j = i + 1; j < end && digits; ++j) digits = std::isdigit(static_cast<unsigned char>(text[j])) != 0;
    if (!digits) continue;
    text.replace(i + 1, kDigits, "[redacted]");
    i += 10;
  }
}

void Log(LogLevel level, std::string_view message, boost::json::object fields) {
  if (static_cast<int>(level) < g_min_level.load(std::memory_order_relaxed)) return;
  boost::json::object line;
  line["ts"] = NowIso();
  line["level"] = NameOf(level);
  line["msg"] = message;
  for (auto& field : fields) {
    // Payment credentials never reach the log, whoever passed them (issue #13).
    auto key = field.key();
    if (key == "sid" || key == "tid" || key == "pg_token" || key == "aid") continue;
    line[key] = std::move(field.value());
  }
  auto text = ToJson(line);  // duration_ms 1.25, not 1.25E0
  RedactPaymentIds(text);
  Logger()->info(text);
}

LogLevel ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

}  // namespace pillivery::infra
