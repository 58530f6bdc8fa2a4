// engine_announce_test.cpp: announce() re-sends `init` so that a node that
// forgot the group (a restarted broker plugin) learns of silent members.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

// quiet_group() is a group whose chain holds two of six nodes, so the four
// others almost never speak.
FakeNet quiet_group() {
  Setup s = fast_setup();
  s.nodes = 2;
  s.splits = 2;
  return FakeNet(s);
}

}  // namespace

Test(engine_announce, a_restarted_observer_learns_silent_members) {
  FakeNet net = quiet_group();
  for (const char* n : {"a", "b", "c", "d", "e", "f"}) net.add(n);
  std::size_t fresh = net.add("observer");
  for (std::size_t i = 0; i < 6; ++i) net.start(i);
  net.run_for(10 * net.cycle_time());
  net.start(fresh);
  net.run_for(2 * net.cycle_time());
  std::size_t before = net.engine(fresh).nodes().size();
  cr_assert(before < 7u, "the silent members spoke anyway (%zu known)",
            before);

  Time announced = net.now();
  int pings = net.sent().size();
  for (std::size_t i = 0; i < 6; ++i) net.engine(i).announce(net.now());
  net.run_for(0.2);
  cr_expect_eq(net.engine(fresh).nodes().size(), 7u);
  // Nothing but the inits went out, and nothing else changed.
  cr_expect_eq(static_cast<int>(net.sent().size()) - pings, 6);
  for (std::size_t i = 0; i < 6; ++i)
    cr_expect_eq(net.sent_by(i, MessageType::kInit, announced), 1);
  net.run_for(5 * net.cycle_time());
  cr_expect_eq(net.count_all(EventType::kRecover), 0);
  cr_expect_eq(net.count_all(EventType::kDetag), 0);
  cr_expect_eq(net.count_all(EventType::kClash), 0);
  cr_expect(net.overlaps().empty());
}

Test(engine_announce, passive_and_unstarted_nodes_stay_silent) {
  FakeNet net(fast_setup());
  net.add("a");
  EngineConfig c = net.config("p");
  c.enabled = false;
  std::size_t p = net.add(c);
  std::size_t later = net.add("later");
  net.start(0);
  net.start(p);
  net.run_for(net.cycle_time());
  std::size_t sent = net.sent().size();
  net.engine(p).announce(net.now());
  net.engine(later).announce(net.now());
  net.run_for(0.1);
  cr_expect_eq(net.sent().size(), sent);
}
