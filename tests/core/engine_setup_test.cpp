// engine_setup_test.cpp: the highest setup version spreads, an older one
// is answered once, equal versions go to the smaller name (PROTOCOL 8).
#include <criterion/criterion.h>

#include <algorithm>

#include "fake_net.hpp"

using namespace aatest;

namespace {

Setup version(std::int64_t v, double cycle) {
  Setup s = fast_setup();
  s.version = v;
  s.cycle = cycle;
  return s;
}

std::size_t add_with(FakeNet& net, const std::string& name, Setup s) {
  EngineConfig c = net.config(name);
  c.setup = s;
  return net.add(c);
}

int vers_sent_by_others(const FakeNet& net, std::size_t except, Time from) {
  int n = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    if (i != except) n += net.sent_by(i, MessageType::kVers, from);
  return n;
}

}  // namespace

Test(engine_setup, a_higher_version_spreads_to_every_node) {
  FakeNet net(version(0, 2));
  for (const char* n : {"a", "b", "c"}) net.add(n);
  std::size_t d = add_with(net, "d", version(1, 2.4));
  for (std::size_t i = 0; i < 3; ++i) net.start(i);
  net.run_for(5 * net.cycle_time());
  net.start(d);
  net.run_for(5 * net.cycle_time());

  for (std::size_t i = 0; i < 4; ++i) {
    cr_expect(net.engine(i).setup() == version(1, 2.4), "node %zu", i);
    cr_expect_eq(net.count(EventType::kSetup, i), i == d ? 0 : 1);
  }
  for (const auto& l : net.events())
    if (l.event.type == EventType::kSetup)
      cr_expect(l.event.setup == version(1, 2.4));
}

Test(engine_setup, an_older_version_is_answered_once_by_the_chain) {
  FakeNet net(version(3, 2));
  for (const char* n : {"a", "b", "c"}) net.add(n);
  std::size_t d = add_with(net, "d", version(1, 2.4));
  for (std::size_t i = 0; i < 3; ++i) net.start(i);
  net.run_for(5 * net.cycle_time());
  Time joined = net.now();
  net.start(d);
  net.run_for(3 * net.cycle_time());

  cr_expect_eq(vers_sent_by_others(net, d, joined), 1,
               "the chain answered %d times",
               vers_sent_by_others(net, d, joined));
  cr_expect(net.engine(d).setup() == version(3, 2));
  cr_expect_eq(net.count(EventType::kSetup, d), 1);
  for (std::size_t i = 0; i < 3; ++i)
    cr_expect(net.engine(i).setup() == version(3, 2));
}

Test(engine_setup, equal_versions_go_to_the_smaller_name) {
  FakeNet net(version(2, 2));
  add_with(net, "b", version(2, 2.4));
  net.add("a");
  add_with(net, "c", version(2, 3));
  net.start_all();
  net.run_for(8 * net.cycle_time());
  for (std::size_t i = 0; i < 3; ++i)
    cr_expect(net.engine(i).setup() == version(2, 2), "node %zu: cycle %g", i,
              net.engine(i).setup().cycle);
}

Test(engine_setup, a_later_joiner_with_a_losing_equal_version_adopts) {
  FakeNet net(version(2, 2));
  for (const char* n : {"a", "b"}) net.add(n);
  std::size_t z = add_with(net, "z", version(2, 3));
  net.start(0);
  net.start(1);
  net.run_for(5 * net.cycle_time());
  net.start(z);
  net.run_for(3 * net.cycle_time());
  cr_expect(net.engine(z).setup() == version(2, 2));
  cr_expect(net.engine(0).setup() == version(2, 2));
}

Test(engine_setup, a_smaller_chain_from_the_net_cuts_the_view) {
  Setup small = version(5, 2);
  small.nodes = 2;
  FakeNet net(version(0, 2));
  for (const char* n : {"a", "b", "c", "d"}) net.add(n);
  std::size_t e = add_with(net, "e", small);
  for (std::size_t i = 0; i < 4; ++i) net.start(i);
  net.run_for(8 * net.cycle_time());
  cr_expect(net.engine(0).history().size() > 2);
  net.start(e);
  net.run_for(3 * net.cycle_time());
  for (std::size_t i = 0; i < 5; ++i)
    cr_expect(net.engine(i).history().size() <= 2);
}

namespace {

// forged_vers() is a vers from a stranger with a high version and `gap`.
Message forged_vers(double gap) {
  Message m;
  m.type = MessageType::kVers;
  m.node = "evil";
  m.setup = fast_setup();
  m.setup.version = 50;
  m.setup.gap = gap;
  m.setup.cycle = std::max(0.1, 3 * gap);
  return m;
}

int unsafe_drops(Engine& e) {
  return static_cast<int>(
      e.counters().dropped[static_cast<int>(DropReason::kUnsafeSetup)]);
}

}  // namespace

Test(engine_setup, a_setup_too_tight_for_our_slack_is_dropped_unanswered) {
  FakeNet net(version(3, 2));
  for (const char* n : {"a", "b", "c"}) {
    EngineConfig c = net.config(n);
    c.slack = 0.15;  // a broker plugin's timers
    net.add(c);
  }
  net.start_all();
  net.run_for(5 * net.cycle_time());
  Time forged = net.now();

  // The attack from the wire, and the boundary: gap == 2 * slack.
  const std::string wire =
      R"({"t":"vers","node":"evil","version":50,"cycle":0.1,"gap":0.01,)"
      R"("nodes":5,"splits":4,"n_hosts":10,"force_in":false})";
  for (std::size_t i = 0; i < 3; ++i) {
    cr_expect_eq(net.engine(i).receive(wire, net.now()),
                 DropReason::kUnsafeSetup);
    cr_expect_eq(net.engine(i).receive(forged_vers(0.3), net.now()),
                 DropReason::kUnsafeSetup);
  }
  net.run_for(3 * net.cycle_time());

  cr_expect_eq(vers_sent_by_others(net, net.size(), forged), 0,
               "the forged setup was answered");
  for (std::size_t i = 0; i < 3; ++i) {
    cr_expect(net.engine(i).setup() == version(3, 2), "node %zu", i);
    cr_expect_eq(net.count(EventType::kSetup, i), 0);
    cr_expect_eq(unsafe_drops(net.engine(i)), 2);
  }
  cr_expect(net.count_all(EventType::kTag, forged) > 0, "rotation stopped");
  cr_expect(net.overlaps().empty());
  cr_expect_str_eq(drop_reason_name(DropReason::kUnsafeSetup),
                   "unsafe_setup");
}

Test(engine_setup, a_setup_just_wide_enough_for_our_slack_is_adopted) {
  FakeNet net(version(3, 2));
  for (const char* n : {"a", "b"}) {
    EngineConfig c = net.config(n);
    c.slack = 0.15;
    net.add(c);
  }
  net.start_all();
  net.run_for(3 * net.cycle_time());
  for (std::size_t i = 0; i < 2; ++i)
    cr_expect_eq(net.engine(i).receive(forged_vers(0.31), net.now()),
                 DropReason::kNone);
  net.run_for(net.cycle_time());
  for (std::size_t i = 0; i < 2; ++i) {
    cr_expect(net.engine(i).setup() == forged_vers(0.31).setup, "node %zu",
              i);
    cr_expect_eq(unsafe_drops(net.engine(i)), 0);
  }
}
