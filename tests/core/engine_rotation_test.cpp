// engine_rotation_test.cpp: in a connected group the tag rotates, one
// holder at a time, at about one beacon per cycle (PROTOCOL 5 and 7).
#include <criterion/criterion.h>

#include <cmath>

#include "fake_net.hpp"

using namespace aatest;

namespace {

void start_group(FakeNet& net, int n) {
  for (int i = 0; i < n; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), i + 1);
  net.start_all();
}

}  // namespace

Test(engine_rotation, three_nodes_each_hold_the_tag_in_turn) {
  FakeNet net(fast_setup());
  start_group(net, 3);
  net.run_for(30 * net.cycle_time());
  for (std::size_t i = 0; i < 3; ++i)
    cr_expect(net.count(EventType::kTag, i) >= 5, "node %zu tagged %d times",
              i, net.count(EventType::kTag, i));
  for (std::size_t i = 0; i < 3; ++i)
    cr_expect_eq(net.engine(i).history().size(), 3u);
}

Test(engine_rotation, never_two_nodes_hold_the_tag_at_once) {
  FakeNet net(fast_setup());
  start_group(net, 5);
  net.run_for(60 * net.cycle_time());
  cr_expect(net.overlaps().empty(), "%zu overlapping steps",
            net.overlaps().size());
  auto spans = net.tag_spans();
  for (std::size_t i = 1; i < spans.size(); ++i)
    cr_expect(spans[i - 1].end <= spans[i].start,
              "tag of %zu ends %g after %zu starts %g", spans[i - 1].node,
              spans[i - 1].end, spans[i].node, spans[i].start);
}

Test(engine_rotation, observers_report_who_is_it_once_per_cycle) {
  FakeNet net(fast_setup());
  start_group(net, 3);
  net.run_for(20 * net.cycle_time());
  Time from = 5 * net.cycle_time();
  int tags = net.count_all(EventType::kTag, from);
  int pings = net.count_all(EventType::kPing, from);
  cr_expect(std::abs(pings - 2 * tags) <= 2, "%d tags, %d ping reports", tags,
            pings);
  for (const auto& l : net.events())
    if (l.event.type == EventType::kPing)
      cr_expect_neq(l.event.node, net.engine(l.node).name());
}

Test(engine_rotation, the_group_sends_about_one_beacon_per_cycle) {
  FakeNet net(fast_setup());
  start_group(net, 8);
  Time from = 10 * net.cycle_time();
  net.run_until(from);
  int before = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    before += net.sent_by(i, MessageType::kPing);
  net.run_for(40 * (net.setup().cycle + net.setup().gap));
  int pings = -before;
  for (std::size_t i = 0; i < net.size(); ++i)
    pings += net.sent_by(i, MessageType::kPing);
  cr_expect(pings >= 34 && pings <= 50, "%d beacons in about 40 cycles",
            pings);
}

Test(engine_rotation, the_next_tag_follows_within_two_and_a_half_gaps) {
  FakeNet net(fast_setup());
  start_group(net, 4);
  net.run_for(30 * net.cycle_time());
  auto spans = net.tag_spans();
  const Setup& s = net.setup();
  Time limit = 2.5 * s.gap + 0.05 + 0.02;  // + delay + two clock steps
  for (std::size_t i = 1; i < spans.size(); ++i)
    cr_expect(spans[i].start - spans[i - 1].end <= limit,
              "no tag for %g s at %g", spans[i].start - spans[i - 1].end,
              spans[i - 1].end);
}

Test(engine_rotation, untag_comes_before_the_next_tag_even_with_slack) {
  FakeNet::Options o;
  o.step = 0.1;  // every timer fires up to 0.1 s late
  FakeNet net(fast_setup(), o);
  for (int i = 0; i < 4; ++i) {
    EngineConfig c = net.config(std::string(1, static_cast<char>('a' + i)));
    c.slack = 0.1;
    net.add(c);
  }
  net.start_all();
  net.run_for(40 * net.cycle_time());
  cr_expect(net.overlaps().empty());
  auto spans = net.tag_spans();
  cr_expect(spans.size() > 20);
  for (std::size_t i = 1; i < spans.size(); ++i)
    cr_expect(spans[i - 1].end < spans[i].start);
}

Test(engine_rotation, a_dead_chain_member_is_shed_and_the_rest_go_on) {
  FakeNet net(fast_setup());
  start_group(net, 3);
  net.run_for(10 * net.cycle_time());
  net.stop(1);
  Time stopped = net.now();
  net.run_for(15 * net.cycle_time());
  for (std::size_t i : {0u, 2u}) {
    cr_expect(net.count(EventType::kTag, i, stopped + net.cycle_time()) >= 3);
    const auto& h = net.engine(i).history();
    cr_expect(std::find(h.begin(), h.end(), "b") == h.end(),
              "dead node still on the chain");
  }
  cr_expect(net.overlaps().empty());
}

Test(engine_rotation, a_tag_event_says_whether_the_chain_is_full) {
  Setup s = fast_setup();
  s.nodes = 3;
  s.splits = 3;
  FakeNet net(s);
  start_group(net, 4);
  net.run_for(20 * net.cycle_time());
  bool saw_full = false;
  for (const auto& l : net.events())
    if (l.event.type == EventType::kTag && l.time > 10 * net.cycle_time())
      saw_full = saw_full || l.event.chain_full;
  cr_expect(saw_full);
}
