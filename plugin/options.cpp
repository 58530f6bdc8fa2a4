// options.cpp: parses and checks the plugin options. Every error names the
// option (as written in mosquitto.conf) and says what is wrong.
#include "options.hpp"

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <limits>
#include <set>

#include "asyncactor/message.hpp"
#include "asyncactor/setup.hpp"
#include "asyncactor/text.hpp"
#include "broker_io.hpp"

namespace asyncactor::plugin {

namespace {

using Error = std::optional<std::string>;

Error parse_double(const std::string& text, double& out) {
  if (!is_decimal(text, false))
    return "not a finite number: '" + printable(text) +
           "' (plain decimal only)";
  errno = 0;
  double d = std::strtod(text.c_str(), nullptr);
  if (errno != 0 || !std::isfinite(d))
    return "out of range: '" + printable(text) + "'";
  out = d;
  return std::nullopt;
}

Error parse_int64(const std::string& text, std::int64_t& out) {
  if (!is_decimal(text, true))
    return "not an integer: '" + printable(text) + "' (decimal digits only)";
  errno = 0;
  long long n = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return "out of range: '" + printable(text) + "'";
  out = n;
  return std::nullopt;
}

Error parse_int(const std::string& text, int& out) {
  std::int64_t n = 0;
  if (auto err = parse_int64(text, n)) return err;
  if (n < std::numeric_limits<int>::min() ||
      n > std::numeric_limits<int>::max())
    return "out of range: '" + text + "'";
  out = static_cast<int>(n);
  return std::nullopt;
}

Error parse_bool(const std::string& text, bool& out) {
  static const char* const kTrue[] = {"true", "yes", "on", "1"};
  static const char* const kFalse[] = {"false", "no", "off", "0"};
  for (const char* t : kTrue) {
    if (text == t) {
      out = true;
      return std::nullopt;
    }
  }
  for (const char* f : kFalse) {
    if (text == f) {
      out = false;
      return std::nullopt;
    }
  }
  return "not a boolean (true or false)";
}

// unquote() removes one pair of double quotes around `text`, if present.
// Mosquitto hands the rest of the configuration line over as it is, quotes
// included; a name and a string value are written the same way, and both
// may hold spaces either way.
std::string unquote(const std::string& text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    return text.substr(1, text.size() - 2);
  return text;
}

Error check_name_length(const std::string& name) {
  if (name.size() <= kMaxNameBytes) return std::nullopt;
  return "longer than " + std::to_string(kMaxNameBytes) + " bytes (it has " +
         std::to_string(name.size()) + ")";
}

// parse_value(): `null` is null (not ready), a number is a number, text in
// double quotes is that text, anything else is taken as a string.
Error parse_value(const std::string& text, Value& out) {
  double d = 0;
  if (text == "null") {
    out = Value();
  } else if (!parse_double(text, d)) {
    out = Value::number(d);
  } else {
    out = Value::string(unquote(text));
  }
  if (out.kind() == Value::Kind::kString &&
      out.as_string().size() > kMaxValueBytes)
    return "longer than " + std::to_string(kMaxValueBytes) + " bytes";
  return std::nullopt;
}

Error check_topic(const std::string& topic) {
  if (topic.find_first_of("+#") != std::string::npos)
    return "must not contain the wildcards + or #";
  if (topic[0] == '$')
    return "must not start with $ (clients cannot publish there)";
  if (mosquitto_pub_topic_check(topic.c_str()) != MOSQ_ERR_SUCCESS)
    return "is not a valid MQTT topic";
  return std::nullopt;
}

Error apply(const std::string& key, const std::string& val,
            PluginOptions& out) {
  Setup& s = out.engine.setup;
  if (key == "name") {
    out.engine.name = unquote(val);
    if (out.engine.name.empty()) return "empty name";
    return check_name_length(out.engine.name);
  }
  if (key == "topic") {
    out.topic = val;
    return check_topic(val);
  }
  if (key == "value") return parse_value(val, out.engine.value);
  if (key == "cycle") return parse_double(val, s.cycle);
  if (key == "gap") return parse_double(val, s.gap);
  if (key == "nodes") return parse_int(val, s.nodes);
  if (key == "splits") return parse_int(val, s.splits);
  if (key == "n_hosts") return parse_int(val, s.n_hosts);
  if (key == "version") return parse_int64(val, s.version);
  if (key == "force_in") return parse_bool(val, s.force_in);
  if (key == "enabled") return parse_bool(val, out.engine.enabled);
  return "unknown option (known: name, topic, value, cycle, gap, nodes, "
         "splits, n_hosts, version, force_in, enabled)";
}

std::uint64_t make_seed(const std::string& name) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::uint64_t seed = static_cast<std::uint64_t>(ts.tv_sec) * 1000000007u ^
                       static_cast<std::uint64_t>(ts.tv_nsec) ^
                       (static_cast<std::uint64_t>(getpid()) << 32);
  return seed ^ std::hash<std::string>{}(name);
}

Error default_name(std::string& name) {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
    return "plugin_opt_name: not set and the host name is unknown";
  name = host;
  if (!check_name_length(name)) return std::nullopt;
  return "plugin_opt_name: not set, and the host name is longer than " +
         std::to_string(kMaxNameBytes) + " bytes: set plugin_opt_name";
}

// check_tick_slack() refuses a gap the broker's tick cannot keep: the
// engine ends the broker's tags kTickSlack early, and the engine needs
// that margin below half a gap. Said in the user's terms, since the slack
// is no option of theirs.
Error check_tick_slack(const Setup& setup) {
  if (kTickSlack < setup.gap / 2) return std::nullopt;
  char text[320];
  std::snprintf(text, sizeof text,
                "plugin_opt_gap: must be more than %g s for the broker "
                "plugin (it is %g): the broker ticks about every 100 ms, so "
                "the plugin may act up to %g s late, which must stay under "
                "half a gap",
                2 * kTickSlack, setup.gap, kTickSlack);
  return std::string(text);
}

}  // namespace

std::optional<std::string> parse_options(const mosquitto_opt* opts, int count,
                                         PluginOptions& out) {
  out.engine.value = Value::number(0);
  out.engine.slack = kTickSlack;
  std::set<std::string> seen;
  for (int i = 0; i < count; ++i) {
    std::string key = opts[i].key ? opts[i].key : "";
    std::string val = opts[i].value ? opts[i].value : "";
    std::string where = "plugin_opt_" + key + ": ";
    if (!seen.insert(key).second) return where + "given twice";
    if (val.empty()) return where + "empty value";
    if (auto err = apply(key, val, out)) return where + *err;
  }

  if (out.engine.name.empty()) {
    if (auto err = default_name(out.engine.name)) return err;
  }
  if (auto err = validate(out.engine.setup))
    return "plugin_opt_cycle/gap/nodes/splits/n_hosts/version: " + *err;

  if (auto err = check_tick_slack(out.engine.setup)) return err;

  out.engine.seed = make_seed(out.engine.name);
  if (auto err = check_config(out.engine)) {
    // Name the option the engine's complaint is about, when it is one.
    for (const char* key : {"name", "value"}) {
      std::string prefix = std::string(key) + " ";
      if (err->compare(0, prefix.size(), prefix) == 0)
        return "plugin_opt_" + std::string(key) + ": " + *err;
    }
    return "configuration: " + *err;
  }
  return std::nullopt;
}

}  // namespace asyncactor::plugin
