// topology_test.cpp: what <topic>/topology says about each node's
// last_seen: a real time for nodes heard and for the broker itself, null
// for names the broker only knows from another node's history.
#include <criterion/criterion.h>

#include <cstdlib>
#include <ctime>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

const std::string kTopology = kTopic + "/topology";

// has_node() matches a topology that lists `name`.
auto has_node(const std::string& name) {
  return [=](const Subscriber::Received& m) {
    return json_path(m.payload, {"nodes", name}).has_value();
  };
}

// near_now() is true when `field` is a number within `slack_s` seconds of
// the wall clock.
bool near_now(const std::optional<std::string>& field, double slack_s) {
  if (!field || *field == "null") return false;
  double t = std::strtod(field->c_str(), nullptr);
  return std::abs(t - static_cast<double>(std::time(nullptr))) <= slack_s;
}

}  // namespace

Test(plugin_topology, a_name_only_seen_in_a_history_has_no_last_seen) {
  Broker broker(plugin_broker_options());
  Subscriber topology(broker.port(), kTopology);
  Subscriber ghost(broker.port(), "unused/ghost");
  cr_assert(ghost.publish(kTopic,
                          "{\"t\":\"ping\",\"node\":\"ghost\",\"value\":9,"
                          "\"history\":[\"ghost\",\"elsewhere\"]}"));

  auto seen = topology.wait_for(4.0, has_node("elsewhere"));
  cr_assert(seen, "elsewhere never listed");
  const std::string& p = seen->payload;
  cr_expect(json_path(p, {"nodes", "elsewhere", "last_seen"}) ==
                std::string("null"),
            "%s", p.c_str());
  cr_expect(near_now(json_path(p, {"nodes", "ghost", "last_seen"}), 5),
            "ghost was heard just now: %s", p.c_str());
  cr_expect(near_now(json_path(p, {"nodes", "broker", "last_seen"}), 5),
            "the broker speaks: %s", p.c_str());
}

Test(plugin_topology, a_passive_broker_shows_a_real_time_for_itself) {
  Broker broker(plugin_broker_options({{"enabled", "false"}}));
  Subscriber topology(broker.port(), kTopology);
  auto seen = topology.wait_for(4.0, has_node("broker"));
  cr_assert(seen, "no topology; log:\n%s", broker.log().c_str());
  cr_expect(near_now(json_path(seen->payload, {"nodes", "broker", "last_seen"}),
                     10),
            "%s", seen->payload.c_str());
}
