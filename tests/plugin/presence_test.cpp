// presence_test.cpp: nodes that clients publish for appear in the topology,
// and go offline the moment their client disconnects.
#include <criterion/criterion.h>
#include <unistd.h>

#include <cstdio>
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

// A second client that speaks for a name already spoken for (a duplicate
// that is about to be told to give way) must not take the name offline
// when it leaves while the first is still connected.
Test(plugin_presence, a_duplicate_leaving_does_not_take_the_name_offline) {
  Broker broker(plugin_broker_options());
  Subscriber topology(broker.port(), kTopology);
  Subscriber original(broker.port(), "unused/original");
  cr_assert(original.publish(kTopic, "{\"t\":\"init\",\"node\":\"x\"}"));
  cr_assert(topology.wait_for(4.0, online_is("x", true)), "x never online");

  auto twin = std::make_unique<Subscriber>(broker.port(), "unused/twin");
  cr_assert(twin->publish(kTopic, "{\"t\":\"init\",\"node\":\"x\"}"));
  usleep(300000);  // let the broker take it before the disconnect
  twin.reset();
  cr_expect(!topology.wait_for(2.0, online_is("x", false)),
            "x went offline while its first client is connected\n%s",
            broker.log().c_str());
  cr_expect(broker.log().find("offline nodes=x") == std::string::npos,
            "log:\n%s", broker.log().c_str());

  // A fresh subscriber gets x online from the retained topology.
  Subscriber fresh(broker.port(), kTopology);
  auto retained = fresh.next(2.0);
  cr_assert(retained, "no retained topology");
  cr_expect(online_is("x", true)(*retained), "%s", retained->payload.c_str());
}

// Mosquitto cuts log lines at about 1000 bytes without a mark: a relay for
// many nodes must give a short line that says how many names it left out.
Test(plugin_presence, a_long_offline_list_is_capped_and_says_how_many_more) {
  Broker broker(plugin_broker_options());
  Subscriber topology(broker.port(), kTopology);
  auto relay = std::make_unique<Subscriber>(broker.port(), "unused/relay");
  constexpr int kNodes = 60;
  std::string last;
  for (int i = 0; i < kNodes; ++i) {
    char name[48];
    std::snprintf(name, sizeof name, "a-fairly-long-node-name-%03d", i);
    last = name;
    cr_assert(relay->publish(kTopic, "{\"t\":\"init\",\"node\":\"" + last +
                                         "\"}"));
  }
  cr_assert(topology.wait_for(4.0, online_is(last, true)),
            "the last node never came online");
  relay.reset();
  cr_assert(wait_log(broker, "asyncactor: offline nodes=", 3), "log:\n%s",
            broker.log().c_str());
  std::string log = broker.log();
  std::size_t start = log.find("asyncactor: offline nodes=");
  std::string line = log.substr(start, log.find('\n', start) - start);
  cr_expect(line.size() < 700, "line of %zu bytes: %s", line.size(),
            line.c_str());
  int shown = count(line, "a-fairly-long-node-name-");
  cr_expect(shown >= 1 && shown <= 20, "%d names shown: %s", shown,
            line.c_str());
  std::string more =
      " ... and " + std::to_string(kNodes - shown) + " more client=";
  cr_expect(line.find(more) != std::string::npos, "no '%s' in: %s",
            more.c_str(), line.c_str());
}
