// garbage_test.cpp: whatever a peer publishes on the group topic, the
// plugin drops what is not a valid message, logs it at a limited rate, keeps
// the publisher connected and keeps beaconing.
#include <criterion/criterion.h>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

bool is_broker_ping(const Subscriber::Received& m) {
  return m.topic == kTopic && is_ping_from(m.payload, "broker");
}

}  // namespace

Test(plugin_garbage, bad_payloads_are_dropped_counted_and_survived) {
  Broker broker(plugin_broker_options());
  Subscriber sub(broker.port(), kTopic);
  Subscriber peer(broker.port(), "unused/peer");
  cr_assert(sub.wait_for(6.0, is_broker_ping), "no ping before garbage");

  const std::string garbage[] = {
      "not json",
      std::string(100000, '\xff'),
      std::string("\0\x01\x02{", 4),
      "",
      "[1,2,3]",
      "{\"t\":\"ping\",\"node\":5}",
      "{\"t\":\"ping\",\"node\":\"y\",\"value\":{},\"history\":[\"y\"]}",
      "{\"t\":\"hist\"}",
      "{\"t\":\"vers\",\"node\":\"y\",\"version\":1,\"cycle\":-1,\"gap\":1,"
      "\"nodes\":5,\"splits\":4,\"n_hosts\":10,\"force_in\":false}",
      "{\"t\":\"warp\",\"node\":\"y\"}",
      "{\"t\":\"ping\",\"node\":\"" + std::string(300, 'n') +
          "\",\"value\":1,\"history\":[\"n\"]}",
  };
  for (const auto& payload : garbage)
    cr_assert(peer.publish(kTopic, payload), "publish failed");
  for (int i = 0; i < 20; ++i) peer.publish(kTopic, "still not json");

  cr_assert(wait_log(broker, "asyncactor: dropped reason=too_large", 3),
            "log:\n%s", broker.log().c_str());
  cr_expect(wait_log(broker, "asyncactor: dropped reason=bad_json", 1));
  cr_expect(wait_log(broker, "asyncactor: dropped reason=not_object", 1));
  std::string log = broker.log();
  cr_expect(count(log, "dropped reason=bad_json") == 1,
            "bad_json logged more than once in 10 s:\n%s", log.c_str());

  // Still beaconing, and the publisher was not disconnected.
  cr_expect(sub.wait_for(kCycle + 2 * kGap + 1, is_broker_ping),
            "no ping after garbage");
  cr_expect(peer.publish(kTopic, "{\"t\":\"init\",\"node\":\"peer\"}"));
  cr_expect(sub.wait_for(2.0,
                         [](const Subscriber::Received& m) {
                           return m.payload.find("\"peer\"") !=
                                  std::string::npos;
                         }),
            "the garbage publisher was disconnected");
  cr_expect(broker.running());
}

Test(plugin_garbage, suppressed_drops_are_reported_with_their_count) {
  Broker broker(plugin_broker_options());
  Subscriber peer(broker.port(), "unused/peer");
  for (int i = 0; i < 5; ++i) peer.publish(kTopic, "nope");
  cr_assert(wait_log(broker, "dropped reason=bad_json count=1 total=1", 3),
            "log:\n%s", broker.log().c_str());
  // The other four are reported once the 10 s interval has passed.
  cr_expect(wait_log(broker, "dropped reason=bad_json count=4 total=5", 12),
            "log:\n%s", broker.log().c_str());
}
