// log.hpp: levelled diagnostics on stderr.
//
// The client writes events to stdout and everything else here:
//
//   set_log_level(LogLevel::kDebug);
//   log_msg(LogLevel::kWarn, "hook %s exited with %d", cmd, code);
//
// Each line carries the local time, the level and the message. Lines above
// the current level are dropped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace asyncactor::client {

enum class LogLevel { kError = 0, kWarn, kInfo, kDebug };

// parse_log_level() maps "error", "warn", "info" and "debug" to a level;
// anything else gives std::nullopt.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view text);

// set_log_level() sets the most verbose level still written (default kInfo).
void set_log_level(LogLevel level);

// log_enabled() is true when a line at `level` would be written.
[[nodiscard]] bool log_enabled(LogLevel level);

// log_msg() writes one printf-style line to stderr when `level` is enabled.
void log_msg(LogLevel level, const char* format, ...)
    __attribute__((format(printf, 2, 3)));

// printable_text() returns `text` with every control character and every
// byte outside printable ASCII replaced by '?', cut to `max` bytes (then
// "..." is appended). Text a peer supplied goes through it before it is
// printed for people, so that nobody can forge a line.
[[nodiscard]] std::string printable_text(std::string_view text,
                                         std::size_t max = 200);

}  // namespace asyncactor::client
