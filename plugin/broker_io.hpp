// broker_io.hpp: the plugin's few contacts with the outside world: clocks,
// publishing through the broker, and making network text safe for the log.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "asyncactor/time.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor::plugin {

// mono_now() is CLOCK_MONOTONIC in seconds: the engine's clock. The broker's
// tick event carries no time in 2.0.x, so the plugin reads its own.
Time mono_now();

// unix_now() is the wall clock in seconds since 1970, for status topics.
double unix_now();

// to_unix() turns engine time `t` into wall-clock seconds, using the current
// distance between the two clocks.
double to_unix(Time t);

// publish() hands a copy of `payload` to the broker for `topic` at QoS 1.
// The copy comes from mosquitto_malloc, because the broker frees it. Returns
// false (and logs a warning) when the broker refused it.
bool publish(const std::string& topic, std::string_view payload, bool retain);

// printable() returns `text` cut to `max` bytes with every byte outside
// printable ASCII replaced by '?', so peers cannot forge log lines.
std::string printable(std::string_view text, std::size_t max = 64);

// value_text() writes a value for a log line: null, a number, or a quoted
// printable() string.
std::string value_text(const Value& value);

// Mosquitto cuts a log line at about 1000 bytes without a mark, so a list
// of names in a line is capped at kLogNamesMax names and kLogNamesBytes
// bytes (two lists still fit in one line).
inline constexpr std::size_t kLogNamesMax = 20;
inline constexpr std::size_t kLogNamesBytes = 400;

// names_text() joins printable() names with commas, "-" when empty. Past
// the caps above it ends with " ... and N more", N the names left out.
std::string names_text(const std::vector<std::string>& names);

}  // namespace asyncactor::plugin
