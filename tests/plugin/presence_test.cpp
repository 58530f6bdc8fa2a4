// presence_test.cpp: nodes that clients publish for appear in the topology,
// and go offline the moment their client disconnects.
#include <criterion/criterion.h>

#include <memory>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

const std::string kTopology = kTopic + "/topology";

// online_is() matches a topology message where node `name` has "online"
// equal to `online`.
auto online_is(const std::string& name, bool online) {
  return [=](const Subscriber::Received& m) {
    return json_path(m.payload, {"nodes", name, "online"}) ==
           std::string(online ? "true" : "false");
  };
}

}  // namespace

Test(plugin_presence, a_client_node_goes_offline_when_it_disconnects) {
  Broker broker(plugin_broker_options());
  Subscriber topology(broker.port(), kTopology);
  auto x = std::make_unique<Subscriber>(broker.port(), "unused/x");
  cr_assert(x->publish(kTopic, "{\"t\":\"init\",\"node\":\"x\"}"));

  auto seen = topology.wait_for(4.0, online_is("x", true));
  cr_assert(seen, "x never online in the topology");
  cr_expect(json_path(seen->payload, {"observer"}) ==
            std::string("\"broker\""));
  cr_expect(json_path(seen->payload, {"nodes", "broker", "online"}) ==
            std::string("true"));
  cr_expect(json_path(seen->payload, {"setup", "cycle"}) == std::string("2"));

  double gone_at = now_s();
  x.reset();  // disconnects
  auto offline = topology.wait_for(3.0, online_is("x", false));
  cr_assert(offline, "x never went offline");
  cr_expect(offline->at - gone_at < 0.5, "offline only after %.2f s",
            offline->at - gone_at);
  cr_expect(wait_log(broker, "asyncactor: offline nodes=x", 1), "log:\n%s",
            broker.log().c_str());

  // A fresh subscriber gets the retained topology with x offline.
  Subscriber fresh(broker.port(), kTopology);
  auto retained = fresh.next(2.0);
  cr_assert(retained && retained->retained, "no retained topology");
  cr_expect(online_is("x", false)(*retained), "%s", retained->payload.c_str());
}

Test(plugin_presence, a_relay_for_several_nodes_takes_them_all_offline) {
  Broker broker(plugin_broker_options());
  Subscriber topology(broker.port(), kTopology);
  auto relay = std::make_unique<Subscriber>(broker.port(), "unused/relay");
  relay->publish(kTopic, "{\"t\":\"init\",\"node\":\"y\"}");
  relay->publish(kTopic, "{\"t\":\"init\",\"node\":\"z\"}");
  cr_assert(topology.wait_for(4.0,
                              [](const Subscriber::Received& m) {
                                return online_is("y", true)(m) &&
                                       online_is("z", true)(m);
                              }),
            "y and z never both online");

  relay.reset();
  cr_expect(topology.wait_for(3.0,
                              [](const Subscriber::Received& m) {
                                return online_is("y", false)(m) &&
                                       online_is("z", false)(m);
                              }),
            "y and z did not go offline with their relay");
}
