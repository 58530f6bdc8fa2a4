// engine_isolation_test.cpp: a node that hears no other node's beacon for
// cycle + 3 gaps reports isolated, then connected on the next one.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

Test(engine_isolation, a_lone_node_is_isolated_after_a_cycle_and_three_gaps) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  const Setup& s = net.setup();
  net.run_until(s.cycle + 3 * s.gap - 0.02);
  cr_expect(!net.engine(0).isolated());
  net.run_until(s.cycle + 3 * s.gap + 0.02);
  cr_expect(net.engine(0).isolated());
  net.run_for(5 * net.cycle_time());
  cr_expect_eq(net.count(EventType::kIsolated, 0), 1);
  cr_expect(net.count(EventType::kTag, 0) >= 3, "isolated nodes still work");
}

Test(engine_isolation, a_cut_off_node_reports_isolated_then_connected) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b", "c"}) net.add(n);
  net.start_all();
  net.run_for(5 * net.cycle_time());
  cr_expect_eq(net.count_all(EventType::kIsolated), 0);

  net.split({0, 1, 1});
  Time cut = net.now();
  net.run_for(2 * net.cycle_time());
  cr_expect(net.engine(0).isolated());
  cr_expect(!net.engine(1).isolated());
  cr_expect_eq(net.count(EventType::kIsolated, 0, cut), 1);

  net.heal();
  Time healed = net.now();
  net.run_for(2 * net.cycle_time());
  cr_expect(!net.engine(0).isolated());
  cr_expect_eq(net.count(EventType::kConnected, 0, healed), 1);
  cr_expect_eq(net.count(EventType::kConnected, 1), 0);
}

Test(engine_isolation, a_steady_group_never_reports_isolation) {
  // Every beacon's sender hears no other beacon for about two cycles:
  // that is not isolation.
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b", "c", "d", "e", "f"}) net.add(n);
  net.start_all();
  net.run_for(40 * net.cycle_time());
  cr_expect_eq(net.count_all(EventType::kIsolated), 0);
  cr_expect_eq(net.count_all(EventType::kConnected), 0);
}

Test(engine_isolation, a_chain_member_cut_off_while_beaconing_is_isolated) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b"}) net.add(n);
  net.start_all();
  net.run_for(6 * net.cycle_time());
  net.split({0, 1});
  Time cut = net.now();
  const Setup& s = net.setup();
  // It may beacon once more (after up to C + 2G), then C + 3G of silence.
  net.run_until(cut + 2 * s.cycle + 5 * s.gap + 0.1);
  cr_expect(net.engine(0).isolated());
  cr_expect(net.engine(1).isolated());
  cr_expect(net.sent_by(0, MessageType::kPing, cut) >= 1);
}
