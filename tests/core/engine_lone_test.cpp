// engine_lone_test.cpp: a node alone starts a chain and tags itself.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

Test(engine_lone, starting_sends_init_then_vers_and_listens) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  cr_assert_eq(net.sent().size(), 2u);
  cr_expect(net.sent()[0].message.type == MessageType::kInit);
  cr_expect(net.sent()[1].message.type == MessageType::kVers);
  cr_expect(net.sent()[1].message.setup == fast_setup());

  const Setup& s = net.setup();
  net.run_until(s.cycle + 1.5 * s.gap - 0.02);
  cr_expect_eq(net.sent_by(0, MessageType::kPing), 0, "spoke while listening");
  net.run_until(s.cycle + 2 * s.gap + 0.02);
  cr_expect_eq(net.sent_by(0, MessageType::kPing), 1);
}

Test(engine_lone, a_lone_node_tags_itself_a_gap_after_its_beacon) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());

  const Setup& s = net.setup();
  Time beacon = -1;
  for (const auto& m : net.sent())
    if (m.message.type == MessageType::kPing) {
      beacon = m.time;
      cr_expect(m.message.history == std::vector<std::string>{"a"});
      break;
    }
  cr_assert(beacon > 0, "no beacon");
  auto spans = net.tag_spans();
  cr_assert(!spans.empty(), "never tagged");
  cr_expect(std::abs(spans[0].start - (beacon + s.gap)) < 0.015);
  cr_expect(std::abs(spans[0].end - (beacon + s.cycle + s.gap / 2)) < 0.015,
            "tag ended at %g", spans[0].end);
  cr_expect(net.engine(0).history() == std::vector<std::string>{"a"});
}

Test(engine_lone, a_lone_node_beacons_every_cycle_plus_two_gaps) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(10 * net.cycle_time());

  std::vector<Time> pings;
  for (const auto& m : net.sent())
    if (m.message.type == MessageType::kPing) pings.push_back(m.time);
  cr_assert(pings.size() >= 8);
  for (std::size_t i = 1; i < pings.size(); ++i)
    cr_expect(std::abs(pings[i] - pings[i - 1] - net.cycle_time()) < 0.015,
              "interval %g", pings[i] - pings[i - 1]);
  // The last beacon's tag may not have started yet.
  int tags = net.count(EventType::kTag, 0);
  cr_expect(tags == static_cast<int>(pings.size()) ||
                tags == static_cast<int>(pings.size()) - 1,
            "%d tags for %zu beacons", tags, pings.size());
  cr_expect(net.overlaps().empty());
}

Test(engine_lone, a_lone_node_reports_no_ping_for_itself) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(5 * net.cycle_time());
  cr_expect_eq(net.count(EventType::kPing, 0), 0);
}
