// retained_test.cpp: a retained message on the group topic would be replayed
// to every node that joins as if it were a live beacon. The plugin still
// takes it as a beacon when it is published, warns (at a limited rate) and
// clears it from the broker.
#include <criterion/criterion.h>
#include <unistd.h>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

const char* const kForged =
    "{\"t\":\"ping\",\"node\":\"retghost\",\"value\":100,"
    "\"history\":[\"retghost\",\"brk\"]}";

// stored_copy() subscribes afresh and returns the retained message the
// broker replays on the group topic, if any (an empty one counts as none).
std::optional<Subscriber::Received> stored_copy(const Broker& broker) {
  Subscriber joiner(broker.port(), kTopic);
  return joiner.wait_for(1.0, [](const Subscriber::Received& m) {
    return m.retained && !m.payload.empty();
  });
}

}  // namespace

Test(plugin_retained, a_retained_beacon_is_cleared_and_logged) {
  Broker broker(plugin_broker_options());
  Subscriber peer(broker.port(), "unused/peer");
  cr_assert(wait_log(broker, "asyncactor: start", 5), "no start");
  cr_assert(peer.publish(kTopic, kForged, true), "publish failed");
  cr_assert(wait_log(broker, "asyncactor: retained message on the group "
                             "topic topic=asyncactor/main count=1 total=1",
                     3),
            "no warning:\n%s", broker.log().c_str());
  auto copy = stored_copy(broker);
  cr_expect(!copy, "the broker still replays: %s",
            copy ? copy->payload.c_str() : "");
  // It was live when published: the plugin heard retghost's ping.
  cr_expect(wait_log(broker, "asyncactor: leader node=retghost", 3),
            "the beacon was not taken live:\n%s", broker.log().c_str());

  // More within 10 s: cleared each time, but one warning line only.
  for (int i = 0; i < 5; ++i)
    cr_assert(peer.publish(kTopic, kForged, true), "publish %d failed", i);
  usleep(500000);
  copy = stored_copy(broker);
  cr_expect(!copy, "a later retained copy stayed");
  std::string log = broker.log();
  cr_expect(count(log, "retained message on the group topic") == 1,
            "warned more than once in 10 s:\n%s", log.c_str());
  cr_expect(wait_log(broker, "count=5 total=6", 12),
            "the suppressed ones were never counted:\n%s",
            broker.log().c_str());
}

Test(plugin_retained, a_retained_qos2_beacon_is_cleared_too) {
  // QoS 2: the broker stores the message only when its PUBREL arrives.
  Broker broker(plugin_broker_options());
  cr_assert(wait_log(broker, "asyncactor: start", 5), "no start");
  Process pub = Process::spawn({"mosquitto_pub", "-h", "127.0.0.1", "-p",
                                std::to_string(broker.port()), "-t", kTopic,
                                "-q", "2", "-r", "-m", kForged});
  auto code = pub.wait_exit(5.0);
  cr_assert(code && *code == 0, "mosquitto_pub failed: %s",
            pub.stderr_text().c_str());
  cr_assert(wait_log(broker, "retained message on the group topic", 3),
            "no warning:\n%s", broker.log().c_str());
  usleep(static_cast<useconds_t>(1.5e6));  // past the second clear
  auto copy = stored_copy(broker);
  cr_expect(!copy, "the broker still replays: %s",
            copy ? copy->payload.c_str() : "");
}

Test(plugin_retained, a_copy_stored_before_the_plugin_started_is_cleared) {
  // A broker without the plugin stores the forgery; the same broker is
  // then restarted with the plugin (persistence keeps the message).
  std::string dir = make_temp_dir();
  Broker::Options plain;
  plain.with_plugin = false;
  plain.extra_config = "persistence true\npersistence_location " + dir +
                       "/\nautosave_interval 1\n";
  int port = 0;
  {
    Broker before(plain);
    port = before.port();
    Subscriber peer(before.port(), "unused/peer");
    cr_assert(peer.publish(kTopic, kForged, true), "publish failed");
    cr_assert(stored_copy(before), "the plain broker kept nothing");
  }
  Broker::Options with = plugin_broker_options();
  with.extra_config = plain.extra_config;
  with.port = port;
  Broker broker(with);
  cr_assert(wait_log(broker, "asyncactor: start", 5), "no start:\n%s",
            broker.log().c_str());
  auto copy = stored_copy(broker);
  cr_expect(!copy, "the old retained copy is still replayed: %s",
            copy ? copy->payload.c_str() : "");
}
