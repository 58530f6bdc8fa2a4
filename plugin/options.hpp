// options.hpp: the plugin_opt_KEY VALUE lines of mosquitto.conf, checked.
#pragma once

#include <optional>
#include <string>

#include "asyncactor/engine.hpp"

struct mosquitto_opt;

namespace asyncactor::plugin {

// PluginOptions is everything the plugin is told at load time.
struct PluginOptions {
  EngineConfig engine;  // name, setup, value, enabled, slack, seed
  std::string topic = "asyncactor/main";
};

// The broker's main loop ticks about every 100 ms; the engine ends tags
// early by this much so that late ticks never stretch a tag.
inline constexpr Time kTickSlack = 0.15;

// parse_options() reads the `count` plugin options into `out`, fills in the
// defaults (name: the host name) and checks the result with
// asyncactor::check_config(). It returns std::nullopt on success, else one
// line naming the option and what is wrong with it.
[[nodiscard]] std::optional<std::string> parse_options(
    const mosquitto_opt* opts, int count, PluginOptions& out);

}  // namespace asyncactor::plugin
