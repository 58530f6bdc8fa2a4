// clash_test.cpp: another node using the broker's name makes the plugin log
// a warning and stand aside; it takes part again once the clash ends.
#include <criterion/criterion.h>

#include <optional>
#include <string>
#include <vector>

#include "plugin_test.hpp"

using namespace aatest;

Test(plugin_clash, a_name_clash_is_logged_and_ends) {
  Broker broker(plugin_broker_options());
  Subscriber sub(broker.port(), kTopic);
  Subscriber impostor(broker.port(), "unused/impostor");
  cr_assert(sub.wait_for(6.0,
                         [](const Subscriber::Received& m) {
                           return is_ping_from(m.payload, "broker");
                         }),
            "no ping before the clash");

  impostor.publish(kTopic,
                   "{\"t\":\"ping\",\"node\":\"broker\",\"value\":9,"
                   "\"history\":[\"broker\"]}");
  cr_assert(wait_log(broker, "asyncactor: clash node=broker", 3), "log:\n%s",
            broker.log().c_str());
  cr_expect(wait_log(broker, "asyncactor: clash_end node=broker", 15),
            "log:\n%s", broker.log().c_str());

  double after = now_s();
  auto ping = sub.wait_for(2 * (kCycle + 2 * kGap), [&](const auto& m) {
    return m.at > after && is_ping_from(m.payload, "broker");
  });
  cr_expect(ping, "no ping after the clash ended");
  cr_expect(broker.running());
}

namespace {

// client() starts asyncactor-client `name` on the broker with the fast
// setup.
Process client(int port, const std::string& name, const std::string& value) {
  return Process::spawn({client_path(), "--port", std::to_string(port),
                         "--topic", kTopic, "--name", name, "--value", value,
                         "--cycle", "2", "--gap", "0.4", "--json"});
}

std::optional<std::string> leader_node(const Subscriber::Received& m) {
  return json_field(m.payload, "node");
}

}  // namespace

// While the broker gives way it still hears the group, so its leader topic
// goes on naming whoever holds the tag instead of freezing.
Test(plugin_clash, the_leader_topic_follows_the_group_during_a_clash) {
  Broker broker(plugin_broker_options());
  Subscriber leader(broker.port(), kTopic + "/leader");
  Subscriber impostor(broker.port(), "unused/impostor");
  Process a = client(broker.port(), "a", "1");
  Process b = client(broker.port(), "b", "2");
  auto named = [&](const std::string& n) {
    return [n](const Subscriber::Received& m) {
      return leader_node(m) == "\"" + n + "\"";
    };
  };
  cr_assert(leader.wait_for(6 * kCycle, named("a")), "a never named");
  cr_assert(leader.wait_for(3 * kCycle, named("b")), "b never named");

  // A running node says it is "broker": the broker must give way. An init
  // from the same name every second keeps the clash going without
  // disturbing the chain of a and b.
  impostor.publish(kTopic,
                   "{\"t\":\"ping\",\"node\":\"broker\",\"value\":null,"
                   "\"history\":[\"broker\"]}");
  cr_assert(wait_log(broker, "must_yield=true", 3), "log:\n%s",
            broker.log().c_str());
  double clash_at = now_s();
  std::vector<std::string> names;
  while (now_s() < clash_at + 5 * kCycle) {
    impostor.publish(kTopic, "{\"t\":\"init\",\"node\":\"broker\"}");
    while (auto m = leader.next(0.9))
      if (auto n = leader_node(*m)) names.push_back(*n);
  }
  std::string log = broker.log();
  cr_expect(log.find("clash_end") == std::string::npos,
            "the clash ended early:\n%s", log.c_str());

  std::string seen;
  for (const auto& n : names) seen += n + " ";
  cr_expect(count(seen, "\"a\"") >= 1 && count(seen, "\"b\"") >= 1,
            "leaders named during the clash: %s\nlog:\n%s", seen.c_str(),
            log.c_str());
  cr_expect(names.size() >= 3, "leaders named during the clash: %s",
            seen.c_str());
}
