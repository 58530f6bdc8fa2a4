// main.cpp: asyncactor-client, one node of the beacon protocol on MQTT or
// Serf. See help.cpp for what it does, or run it with --help.
#include <mosquitto.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

#include "asyncactor/engine.hpp"
#include "clock.hpp"
#include "event_loop.hpp"
#include "hooks.hpp"
#include "log.hpp"
#include "mqtt_transport.hpp"
#include "node.hpp"
#include "options.hpp"
#include "serf_transport.hpp"
#include "signals.hpp"

namespace {

using namespace asyncactor::client;

constexpr int kExitSetup = 1;
constexpr int kExitUsage = 2;
constexpr asyncactor::Time kSlackS = 0.02;
// How long an on-tag hook has to end after SIGTERM when the client exits.
constexpr double kHookGraceS = 2.0;

// A proxy listener, so the transport can be built before the node.
class Relay : public TransportListener {
 public:
  TransportListener* target = nullptr;
  void on_link_up() override { target->on_link_up(); }
  void on_link_down() override { target->on_link_down(); }
  void on_payload(std::string_view p) override { target->on_payload(p); }
  void on_retained(std::string_view p) override { target->on_retained(p); }
};

std::uint64_t make_seed() {
  std::random_device device;
  std::uint64_t seed = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  return seed ^ static_cast<std::uint64_t>(getpid()) ^
         static_cast<std::uint64_t>(wall_now() * 1e6);
}

asyncactor::EngineConfig engine_config(const Options& o) {
  asyncactor::EngineConfig c;
  c.name = o.name;
  c.setup = o.setup;
  c.value = o.value;
  c.enabled = !o.passive;
  c.slack = kSlackS;
  c.seed = make_seed();
  c.raw = o.raw;
  return c;
}

std::unique_ptr<Transport> make_transport(const Options& o,
                                          TransportListener& listener) {
  if (o.transport == TransportKind::kSerf) {
    return std::make_unique<SerfTransport>(
        SerfTransport::Config{o.host, o.port, o.topic, o.serf_auth}, listener);
  }
  MqttTransport::Config c;
  c.host = o.host;
  c.port = o.port;
  c.topic = o.topic;
  c.client_id = "asyncactor-" + o.name + "-" + std::to_string(getpid());
  c.username = o.username;
  c.password = o.password;
  c.tls = o.tls;
  c.cafile = o.cafile;
  c.certfile = o.certfile;
  c.keyfile = o.keyfile;
  return std::make_unique<MqttTransport>(std::move(c), listener);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "asyncactor-client: %s\n", message.c_str());
  std::fprintf(stderr, "Try 'asyncactor-client --help'.\n");
  return kExitUsage;
}

// check_options() returns what is wrong with the options, or "".
std::string check_options(const Options& o, const asyncactor::EngineConfig& c) {
  if (auto err = asyncactor::check_config(c)) return *err;
  // The broker keeps $-topics ($SYS/...) for itself and silently drops
  // what clients publish there: beacons would vanish without a word.
  if (o.transport == TransportKind::kMqtt && o.topic[0] == '$')
    return "--topic '" + o.topic +
           "' starts with $: the broker keeps such topics for itself and "
           "drops what clients publish there";
  if (o.transport == TransportKind::kMqtt &&
      !MqttTransport::valid_topic(o.topic))
    return "--topic '" + o.topic + "' is not a valid MQTT topic to publish to";
  return "";
}

int run(const Options& o) {
  asyncactor::EngineConfig config = engine_config(o);
  std::string problem = check_options(o, config);
  if (!problem.empty()) return usage_error(problem);
  if (!install_signal_pipe()) {
    log_msg(LogLevel::kError, "signal setup: %s", std::strerror(errno));
    return kExitSetup;
  }
  Relay relay;
  std::unique_ptr<Transport> transport = make_transport(o, relay);
  HookRunner hooks({o.on_tag, o.on_untag, o.on_detag}, o.topic);
  Node node(std::move(config), *transport, hooks, o.json);
  relay.target = &node;
  transport->start(mono_now());
  int code = run_event_loop(node, *transport, hooks);
  hooks.stop_for_exit(kHookGraceS);
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  ParseResult parsed = parse_options(argc, argv);
  if (parsed.action == ParseResult::kHelp) {
    std::fputs(help_text().c_str(), stdout);
    return 0;
  }
  if (parsed.action == ParseResult::kError) return usage_error(parsed.error);
  set_log_level(parsed.options.log_level);

  mosquitto_lib_init();
  int code = run(parsed.options);
  mosquitto_lib_cleanup();
  return code;
}
