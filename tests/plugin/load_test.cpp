// load_test.cpp: the plugin loads, beacons about once per cycle, names
// itself leader when alone, and survives SIGHUP as the same single node.
#include <criterion/criterion.h>
#include <signal.h>

#include <vector>

#include "plugin_test.hpp"

using namespace aatest;

namespace {

// ping_times() collects the arrival times of pings from `node` for
// `seconds`.
std::vector<double> ping_times(Subscriber& sub, const std::string& node,
                               double seconds) {
  std::vector<double> times;
  double end = now_s() + seconds;
  while (auto m = sub.next(end - now_s())) {
    if (m->topic == kTopic && is_ping_from(m->payload, node))
      times.push_back(m->at);
  }
  return times;
}

}  // namespace

Test(plugin_load, beacons_about_once_per_cycle) {
  Broker broker(plugin_broker_options());
  cr_assert(broker.running(), "broker did not start:\n%s",
            broker.log().c_str());
  cr_expect(wait_log(broker, "asyncactor: start node=broker", 2),
            "no start line in:\n%s", broker.log().c_str());
  Subscriber sub(broker.port(), kTopic);

  // Listens up to cycle + 2 gaps, then beacons every cycle + 2 gaps alone.
  auto times = ping_times(sub, "broker", 9.0);
  cr_assert(times.size() >= 2 && times.size() <= 4, "%zu pings in 9 s",
            times.size());
  for (size_t i = 1; i < times.size(); ++i) {
    double d = times[i] - times[i - 1];
    cr_expect(d >= kCycle - 0.2 && d <= kCycle + 2 * kGap + 0.4,
              "pings %.2f s apart", d);
  }
}

Test(plugin_load, alone_it_names_itself_leader_on_a_retained_topic) {
  Broker broker(plugin_broker_options());
  cr_assert(wait_log(broker, "asyncactor: leader node=broker value=0", 8),
            "no leader line in:\n%s", broker.log().c_str());

  Subscriber fresh(broker.port(), kTopic + "/leader");
  auto m = fresh.next(3.0);
  cr_assert(m, "no retained leader message");
  cr_expect(m->retained, "leader message is not retained");
  cr_expect(json_field(m->payload, "node") == std::string("\"broker\""),
            "leader: %s", m->payload.c_str());
  cr_expect(json_field(m->payload, "observer") == std::string("\"broker\""),
            "leader: %s", m->payload.c_str());
  cr_expect(json_field(m->payload, "value") == std::string("0"), "leader: %s",
            m->payload.c_str());
  auto since = json_field(m->payload, "since");
  cr_expect(since && std::stod(*since) > 1.6e9, "leader: %s",
            m->payload.c_str());
}

Test(plugin_load, sighup_keeps_one_node_beaconing) {
  Broker broker(plugin_broker_options());
  Subscriber sub(broker.port(), kTopic);
  cr_assert(sub.wait_for(6.0,
                         [](const Subscriber::Received& m) {
                           return is_ping_from(m.payload, "broker");
                         }),
            "no ping before SIGHUP");

  broker.send_signal(SIGHUP);
  cr_assert(wait_log(broker, "asyncactor: reload node=broker", 3),
            "no reload line in:\n%s", broker.log().c_str());

  int pings = 0, others = 0;
  double end = now_s() + 3 * (kCycle + 2 * kGap);
  while (auto m = sub.next(end - now_s())) {
    if (is_ping_from(m->payload, "broker"))
      ++pings;
    else
      ++others;
  }
  cr_expect(pings >= 2 && pings <= 4, "%d pings in 3 cycles after SIGHUP",
            pings);
  cr_expect(others == 0, "%d other messages (a second start?)", others);
  std::string log = broker.log();
  cr_expect(count(log, "asyncactor: start ") == 1, "log:\n%s", log.c_str());
  cr_expect(count(log, "asyncactor: clash") == 0, "log:\n%s", log.c_str());
  cr_expect(broker.running());
}
