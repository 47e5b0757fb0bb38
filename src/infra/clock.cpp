#include "infra/clock.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace pillivery::infra {

void SetProcessTimeZone(const std::string& iana_zone) {
  ::setenv("TZ", iana_zone.c_str(), 1);
  ::tzset();
}

namespace {
std::tm LocalTm(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string FormatIsoTime(std::chrono::system_clock::time_point t) {
  std::tm tm = LocalTm(t);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  if (ms < 0) ms += 1000;
  long off = tm.tm_gmtoff / 60;
  char sign = off < 0 ? '-' : '+';
  if (off < 0) off = -off;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms), sign, off / 60, off % 60);
  return buf;
}

std::string FormatDate(std::chrono::system_clock::time_point t) {
  std::tm tm = LocalTm(t);
  char buf[40];  // room for any int the compiler can imagine, not only four-digit years
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

domain::Date BusinessDate(std::chrono::system_clock::time_point t) {
  std::tm tm = LocalTm(t);
  return *domain::Date::FromYmd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

}  // namespace pillivery::infra
