// engine_readiness_test.cpp: a node whose value is null is not ready: it
// never holds the tag and learns which nodes are ready (PROTOCOL 9).
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

std::size_t add_unready(FakeNet& net, const std::string& name) {
  EngineConfig c = net.config(name);
  c.value = Value();
  return net.add(c);
}

}  // namespace

Test(engine_readiness, a_node_that_is_not_ready_is_never_tagged) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b"}) net.add(n);
  std::size_t u = add_unready(net, "u");
  net.start_all();
  net.run_for(30 * net.cycle_time());
  cr_expect_eq(net.count(EventType::kTag, u), 0);
  cr_expect(net.count(EventType::kTag, 0) >= 5);
  cr_expect(net.count(EventType::kTag, 1) >= 5);
  cr_expect(net.overlaps().empty());
  for (const auto& l : net.events())
    if (l.event.type == EventType::kPing) cr_expect_neq(l.event.node, "u");
}

Test(engine_readiness, a_node_that_is_not_ready_hears_of_ready_nodes) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b"}) net.add(n);
  std::size_t u = add_unready(net, "u");
  net.start_all();
  net.run_for(10 * net.cycle_time());
  const Event* good = nullptr;
  for (const auto& l : net.events())
    if (l.node == u && l.event.type == EventType::kGoodNode) good = &l.event;
  cr_assert(good, "no good_node event");
  cr_expect(good->nodes == (std::vector<std::string>{"a", "b"}));
  cr_expect_eq(net.count(EventType::kGoodNode, 0), 0);
}

Test(engine_readiness, a_node_that_becomes_ready_takes_its_turn) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b"}) net.add(n);
  std::size_t u = add_unready(net, "u");
  net.start_all();
  net.run_for(10 * net.cycle_time());
  Time ready = net.now();
  net.engine(u).set_value(Value::number(5), ready);
  cr_expect(net.engine(u).value() == Value::number(5));
  net.run_for(30 * net.cycle_time());
  cr_expect(net.count(EventType::kTag, u, ready) >= 1);
  cr_expect_eq(net.count(EventType::kGoodNode, u, ready + 0.1), 0);
  cr_expect(net.overlaps().empty());
}

Test(engine_readiness, a_group_with_nobody_ready_beacons_without_tags) {
  FakeNet net(fast_setup());
  add_unready(net, "u");
  add_unready(net, "v");
  net.start_all();
  net.run_for(10 * net.cycle_time());
  int pings = net.sent_by(0, MessageType::kPing) +
              net.sent_by(1, MessageType::kPing);
  cr_expect(pings >= 5, "%d pings", pings);
  cr_expect_eq(net.count_all(EventType::kTag), 0);
  cr_expect_eq(net.count_all(EventType::kIsolated), 0);
}
