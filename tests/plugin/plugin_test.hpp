// plugin_test.hpp: shared helpers for the broker plugin tests. Every test
// runs the group fast (cycle 2 s, gap 0.4 s) so that a few cycles fit in a
// few seconds.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness.hpp"

namespace aatest {

inline constexpr double kCycle = 2.0;
inline constexpr double kGap = 0.4;
inline const std::string kTopic = "asyncactor/main";

// plugin_broker_options() loads the plugin as node "broker" with the fast
// setup, plus `extra` options.
Broker::Options plugin_broker_options(
    std::vector<std::pair<std::string, std::string>> extra = {});

// wait_log() waits up to `timeout_s` for `needle` to appear in the broker's
// log.
bool wait_log(const Broker& broker, const std::string& needle,
              double timeout_s);

// json_field() returns a top-level field of a JSON object as compact JSON
// text ("\"a\"", "null", "3"), or nullopt when the payload is not an object
// or lacks the field.
std::optional<std::string> json_field(const std::string& payload,
                                      const std::string& key);

// json_path() is json_field() through nested objects: {"nodes", "x",
// "online"}.
std::optional<std::string> json_path(const std::string& payload,
                                     const std::vector<std::string>& keys);

// is_ping_from() is true when `payload` is a ping sent by `node`.
bool is_ping_from(const std::string& payload, const std::string& node);

// count() counts occurrences of `needle` in `text`.
int count(const std::string& text, const std::string& needle);

}  // namespace aatest
