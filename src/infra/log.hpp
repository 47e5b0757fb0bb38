#pragma once
// Logs are one JSON object per line on stdout (spdlog underneath). Callers pass
// structured fields; secrets must never be put in them.
#include <boost/json/object.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace pillivery::infra {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

void InitLogging(LogLevel min_level);
// Redirects the log to a stream (tests capture it); nullptr restores stdout.
void SetLogStream(std::ostream* stream);
void Log(LogLevel level, std::string_view message, boost::json::object fields = {});

inline void LogInfo(std::string_view m, boost::json::object f = {}) { Log(LogLevel::kInfo, m, std::move(f)); }
inline void LogWarn(std::string_view m, boost::json::object f = {}) { Log(LogLevel::kWarn, m, std::move(f)); }
inline void LogError(std::string_view m, boost::json::object f = {}) { Log(LogLevel::kError, m, std::move(f)); }

LogLevel ParseLogLevel(std::string_view text);

// The safety net under every log line: KakaoPay ids (a T or S and 19 digits:
// tids and SIDs, which charge a customer's card again) become "S[redacted]".
// Callers still must not log them; fields named sid, tid, aid or pg_token are dropped.
void RedactPaymentIds(std::string& text);

}  // namespace pillivery::infra
