// plugin.cpp: asyncactor for Mosquitto. The broker itself joins an asyncactor
// group as one node, and reports who is it and who is out there on retained
// status topics, so any MQTT client can follow the group without speaking
// the protocol.
//
// What it does
//   - Takes part in the group on `topic` as node `name`: beacons (QoS 1, not
//     retained) go out through the broker; every client PUBLISH on exactly
//     `topic` is fed to the engine (bad messages are dropped, counted and
//     logged at most once per reason every 10 s; the sender stays connected).
//   - Keeps the group topic free of retained messages, which the broker
//     would replay to joiners as live beacons: it clears the topic at start
//     and after any retained client PUBLISH there (with a limited warning).
//   - Publishes, retained and only when they change,
//       <topic>/leader    the node that is it (null when the group is silent
//                         or the leader's connection dropped), its value,
//                         since when (unix seconds), and this observer;
//       <topic>/topology  setup, chain, and every node seen with its value,
//                         last_seen, in_chain and online (at most once a
//                         second; at once when a node goes offline).
//   - A node is online while the client that publishes for it stays
//     connected; it goes offline the moment that client disconnects. Nodes
//     heard through a bridge or relay (a client publishing for several names)
//     count as online for (nodes + n_hosts) * (cycle + 2 * gap) seconds after
//     their last message, or until that relay disconnects.
//   - Logs (key=value, prefix "asyncactor:"): one info line per leader
//     change, setup change, recover, isolated/connected; a warning on a name
//     clash (the plugin stays passive until it ends); errors when an option
//     is invalid, in which case the broker refuses to start.
//   - All protocol logic lives in asyncactor_core; this is glue.
//
// Build
//   cmake -S . -B build && cmake --build build --target asyncactor_plugin
//   -> build/plugin/asyncactor_plugin.so
//
// mosquitto.conf
//   per_listener_settings false     # required: 2.0.11 sends no ticks else
//   plugin /path/to/asyncactor_plugin.so
//   plugin_opt_name broker1         # node name (one pair of "" removed);
//                                   # default: the host name
//   plugin_opt_topic asyncactor/main   # no + or #, not $...
//   plugin_opt_value 0              # number, "quoted string", other text
//                                   # (a string), or null (never leader);
//                                   # default 0: the broker node is ready
//   plugin_opt_cycle 7              # setup: cycle, gap, nodes, splits,
//   plugin_opt_gap 1                #   n_hosts, version, force_in
//   plugin_opt_enabled true         # false: a passive observer that never
//                                   # sends
//   Each option at most once; an unknown option, an empty value or an
//   invalid setup stops the broker from loading the plugin.
//
// Broker version: Mosquitto 2.0 (plugin API version 5), tested with 2.0.11.
// SIGHUP keeps the plugin running as it is: options are not re-read.
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <exception>
#include <iterator>
#include <memory>
#include <new>

#include "member.hpp"
#include "options.hpp"

namespace asyncactor::plugin {
namespace {

struct Plugin {
  mosquitto_plugin_id_t* id = nullptr;
  Member member;
};

// guarded() runs a callback body and keeps C++ exceptions from reaching the
// broker, which is C: out of memory is reported, nothing is rethrown.
template <class Body>
int guarded(const char* what, Body body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    mosquitto_log_printf(MOSQ_LOG_WARNING, "asyncactor: out of memory in %s",
                         what);
    return MOSQ_ERR_NOMEM;
  } catch (const std::exception& e) {
    mosquitto_log_printf(MOSQ_LOG_WARNING, "asyncactor: error in %s: %s", what,
                         e.what());
    return MOSQ_ERR_UNKNOWN;
  }
}

int on_message(int, void* event_data, void* userdata) {
  auto* plugin = static_cast<Plugin*>(userdata);
  auto* message = static_cast<mosquitto_evt_message*>(event_data);
  guarded("message", [&] {
    plugin->member.on_message(*message);
    return MOSQ_ERR_SUCCESS;
  });
  return MOSQ_ERR_SUCCESS;  // never refuse or disconnect a publisher
}

int on_tick(int, void*, void* userdata) {
  auto* plugin = static_cast<Plugin*>(userdata);
  guarded("tick", [&] {
    plugin->member.on_tick();
    return MOSQ_ERR_SUCCESS;
  });
  return MOSQ_ERR_SUCCESS;
}

int on_disconnect(int, void* event_data, void* userdata) {
  auto* plugin = static_cast<Plugin*>(userdata);
  auto* disconnect = static_cast<mosquitto_evt_disconnect*>(event_data);
  guarded("disconnect", [&] {
    plugin->member.on_disconnect(*disconnect);
    return MOSQ_ERR_SUCCESS;
  });
  return MOSQ_ERR_SUCCESS;
}

int on_reload(int, void*, void* userdata) {
  auto* plugin = static_cast<Plugin*>(userdata);
  guarded("reload", [&] {
    plugin->member.on_reload();
    return MOSQ_ERR_SUCCESS;
  });
  return MOSQ_ERR_PLUGIN_DEFER;  // let other plugins reload too
}

struct Registration {
  int event;
  MOSQ_FUNC_generic_callback callback;
};

constexpr Registration kCallbacks[] = {
    {MOSQ_EVT_MESSAGE, on_message},
    {MOSQ_EVT_TICK, on_tick},
    {MOSQ_EVT_DISCONNECT, on_disconnect},
    {MOSQ_EVT_RELOAD, on_reload},
};

void unregister(Plugin* plugin, int count) {
  for (int i = 0; i < count; ++i)
    mosquitto_callback_unregister(plugin->id, kCallbacks[i].event,
                                  kCallbacks[i].callback, nullptr);
}

void unregister_all(Plugin* plugin) {
  unregister(plugin, static_cast<int>(std::size(kCallbacks)));
}

int init(mosquitto_plugin_id_t* id, void** userdata, mosquitto_opt* opts,
         int count) {
  PluginOptions options;
  if (auto err = parse_options(opts, count, options)) {
    mosquitto_log_printf(MOSQ_LOG_ERR, "asyncactor: cannot load: %s",
                         err->c_str());
    return MOSQ_ERR_INVAL;
  }

  auto plugin =
      std::make_unique<Plugin>(Plugin{id, Member(std::move(options))});
  int registered = 0;
  int rc = MOSQ_ERR_SUCCESS;
  for (const auto& cb : kCallbacks) {
    rc = mosquitto_callback_register(id, cb.event, cb.callback, nullptr,
                                     plugin.get());
    if (rc != MOSQ_ERR_SUCCESS) break;
    ++registered;
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    mosquitto_log_printf(MOSQ_LOG_ERR,
                         "asyncactor: cannot load: registering callback for "
                         "event %d failed (error %d)",
                         kCallbacks[registered].event, rc);
    unregister(plugin.get(), registered);
    return rc;
  }

  try {
    plugin->member.start();
  } catch (...) {
    unregister_all(plugin.get());
    throw;
  }
  *userdata = plugin.release();
  return MOSQ_ERR_SUCCESS;
}

}  // namespace
}  // namespace asyncactor::plugin

using asyncactor::plugin::Plugin;

// The plugin is built with hidden visibility; only these three are
// exported (see exports.map).
#define AA_EXPORT __attribute__((visibility("default")))

extern "C" {

AA_EXPORT int mosquitto_plugin_version(int count, const int* versions) {
  for (int i = 0; i < count; ++i)
    if (versions[i] == MOSQ_PLUGIN_VERSION) return MOSQ_PLUGIN_VERSION;
  return -1;
}

AA_EXPORT int mosquitto_plugin_init(mosquitto_plugin_id_t* id, void** userdata,
                                    mosquitto_opt* opts, int count) {
  return asyncactor::plugin::guarded("init", [&] {
    return asyncactor::plugin::init(id, userdata, opts, count);
  });
}

AA_EXPORT int mosquitto_plugin_cleanup(void* userdata, mosquitto_opt*, int) {
  auto* plugin = static_cast<Plugin*>(userdata);
  if (!plugin) return MOSQ_ERR_SUCCESS;
  asyncactor::plugin::unregister_all(plugin);
  delete plugin;
  return MOSQ_ERR_SUCCESS;
}

}  // extern "C"
