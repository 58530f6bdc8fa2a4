// member.hpp: the broker's node in the group. Member owns the engine and
// connects it to the broker: it feeds the engine what clients publish on the
// group topic and the time from the broker's tick, publishes what the engine
// sends, logs what it reports, and keeps the status topics and presence up
// to date. It holds no protocol logic of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "asyncactor/engine.hpp"
#include "drop_log.hpp"
#include "options.hpp"
#include "presence.hpp"
#include "status.hpp"

struct mosquitto_evt_message;
struct mosquitto_evt_disconnect;

namespace asyncactor::plugin {

// kWatcherName is the passive watcher's name during a clash: it never
// sends, and the unit separator keeps it out of anyone's way.
inline constexpr const char* kWatcherName = "\x1f" "asyncactor-watcher";

// Without a tick for this long while messages arrive, the plugin cannot keep
// time (mosquitto 2.0.11 sends no ticks with per_listener_settings true).
inline constexpr Time kTickSilence = 3.0;

// A retained QoS 2 message is stored only when its PUBREL arrives, after
// the first clear: it is cleared once more this long after.
inline constexpr Time kReclearDelay = 1.0;

class Member {
 public:
  explicit Member(PluginOptions options);

  // start() joins the group; its first messages are queued by the broker.
  void start();

  // on_message() takes one client PUBLISH; it always lets it through.
  void on_message(const mosquitto_evt_message& message);
  void on_tick();
  void on_disconnect(const mosquitto_evt_disconnect& disconnect);
  void on_reload();

 private:
  void receive(const std::string& client_id, std::string_view payload,
               Time now);
  void pump(Time now, bool force_topology);
  void handle(const Event& event);
  void leader_named(const std::string& node, const Value& value, Time at);
  void leader_cleared(const char* reason, Time at);
  void check_clash(Time now);
  void pump_watcher();
  void check_ticks(Time now);
  void retained_seen(const std::string& client_id, int qos, Time now);
  void clear_retained();
  void log_retained(Time now);

  PluginOptions options_;
  Engine engine_;
  // While the broker gives way in a name clash its engine stops following
  // the group. The watcher, a passive engine under a name of its own, runs
  // for the length of the clash and keeps <topic>/leader current.
  std::optional<Engine> watcher_;
  DropLog drops_;
  Presence presence_;
  Status status_;
  Time last_tick_ = 0;
  bool warned_no_ticks_ = false;
  bool was_clashing_ = false;
  // Retained messages on the group topic: counted, logged at most once per
  // kDropLogInterval, and cleared (again at reclear_at_ for QoS 2, which
  // the broker stores only when the PUBREL arrives).
  std::uint64_t retained_total_ = 0;
  std::uint64_t retained_unlogged_ = 0;
  Time retained_logged_at_ = -kNever;
  std::string retained_client_;
  Time reclear_at_ = kNever;
};

}  // namespace asyncactor::plugin
