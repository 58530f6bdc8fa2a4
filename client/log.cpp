// log.cpp: see log.hpp.
#include "log.hpp"

#include <sys/time.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace asyncactor::client {

namespace {

LogLevel g_level = LogLevel::kInfo;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

void write_prefix(LogLevel level) {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm parts{};
  localtime_r(&tv.tv_sec, &parts);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &parts);
  std::fprintf(stderr, "%s.%03ld asyncactor-client %s: ", stamp,
               static_cast<long>(tv.tv_usec / 1000), level_name(level));
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (LogLevel level :
       {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug}) {
    if (text == level_name(level)) return level;
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) { g_level = level; }

bool log_enabled(LogLevel level) { return level <= g_level; }

void log_msg(LogLevel level, const char* format, ...) {
  if (!log_enabled(level)) return;

  write_prefix(level);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

std::string printable_text(std::string_view text, std::size_t max) {
  std::size_t n = text.size() < max ? text.size() : max;
  std::string out;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace asyncactor::client
