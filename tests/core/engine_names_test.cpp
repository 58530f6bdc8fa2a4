// engine_names_test.cpp: the name table is bounded. A flood of made-up
// names stays under the cap, and once the flood stops the names expire, so
// a real outsider gets back onto the chain.
#include <criterion/criterion.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "fake_net.hpp"

using namespace aatest;

namespace {

// small_group() has a chain of 3 and expects one host, so that the one
// outsider of four nodes tries the early slot every cycle (PROTOCOL 5.3).
Setup small_group() {
  Setup s = fast_setup();
  s.nodes = 3;
  s.n_hosts = 1;
  return s;
}

// flood() delivers `count` inits with made-up names to the first `upto`
// nodes (default: all).
void flood(FakeNet& net, int count, std::size_t upto = SIZE_MAX) {
  for (int k = 0; k < count; ++k) {
    Message m;
    m.type = MessageType::kInit;
    m.node = "fake-" + std::to_string(k);
    for (std::size_t i = 0; i < std::min(upto, net.size()); ++i)
      cr_assert_eq(net.engine(i).receive(m, net.now()), DropReason::kNone);
  }
}

}  // namespace

Test(engine_names, a_flood_of_names_stays_under_the_cap) {
  FakeNet net(small_group());
  for (const char* n : {"a", "b", "c", "d"}) net.add(n);
  net.start_all();
  net.run_for(5 * net.cycle_time());
  flood(net, 100000);
  for (std::size_t i = 0; i < net.size(); ++i) {
    const Engine& e = net.engine(i);
    cr_expect_leq(e.nodes().size(), EngineConfig::kDefaultMaxNodes);
    cr_expect_geq(e.counters().names_refused,
                  100000u - EngineConfig::kDefaultMaxNodes);
    cr_expect(e.nodes().count(e.name()) == 1);
    for (const auto& name : e.history())
      cr_expect(e.nodes().count(name) == 1, "chain member %s lost",
                name.c_str());
  }
}

Test(engine_names, a_new_chain_member_gets_in_while_the_table_is_full) {
  FakeNet net(small_group());
  for (const char* n : {"a", "b", "c"}) {
    EngineConfig c = net.config(n);
    c.max_nodes = 16;
    net.add(c);
  }
  EngineConfig late = net.config("d");
  late.max_nodes = 16;
  std::size_t d = net.add(late);
  for (std::size_t i = 0; i < 3; ++i) net.start(i);
  net.run_for(5 * net.cycle_time());
  // The chain members' tables stay full of fakes that keep talking.
  net.start(d);
  for (int cycle = 0; cycle < 6; ++cycle) {
    flood(net, 1000, 3);
    net.run_for(net.cycle_time());
  }

  cr_expect(net.count(EventType::kTag, d) > 0, "d never got on the chain");
  for (std::size_t i = 0; i < 3; ++i) {
    const Engine& e = net.engine(i);
    cr_expect_leq(e.nodes().size(), 16u);
    cr_expect(e.nodes().count("d") == 1, "node %zu does not know d", i);
    cr_expect(e.counters().names_forgotten > 0);
  }
}

Test(engine_names, an_outsider_rejoins_once_the_flooded_names_expire) {
  FakeNet net(small_group());
  for (const char* n : {"a", "b", "c", "d"}) net.add(n);
  net.start_all();
  net.run_for(5 * net.cycle_time());
  for (std::size_t i = 0; i < net.size(); ++i)
    cr_assert_gt(net.count(EventType::kTag, i), 0, "no rotation at first");

  flood(net, 5000);  // then the fakes go quiet
  const Time lifetime = net.engine(0).name_lifetime();
  cr_expect_eq(lifetime, 4 * net.cycle_time());
  net.run_for(1.5 * lifetime + net.setup().gap);
  Time expired = net.now();
  for (std::size_t i = 0; i < net.size(); ++i) {
    cr_expect_leq(net.engine(i).nodes().size(), 4u, "node %zu knows %zu", i,
                  net.engine(i).nodes().size());
    cr_expect_geq(net.engine(i).counters().names_forgotten, 4000u);
  }

  net.run_for(6 * net.cycle_time());
  for (std::size_t i = 0; i < net.size(); ++i)
    cr_expect_gt(net.count(EventType::kTag, i, expired), 0,
                 "node %zu stayed off the chain", i);
  cr_expect(net.overlaps().empty());
}
