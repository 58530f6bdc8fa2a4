// clash_test.cpp: another node using the broker's name makes the plugin log
// a warning and stand aside; it takes part again once the clash ends.
#include <criterion/criterion.h>

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
