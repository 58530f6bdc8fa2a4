// engine_join_test.cpp: a node that starts while a group runs adopts its
// chain as an outsider; it takes no tag away and causes no recovery.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

Test(engine_join, joining_causes_no_detag_and_no_recover) {
  FakeNet net(fast_setup());
  for (int i = 0; i < 3; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), i);
  std::size_t late = net.add("z", 99);  // would win any collision
  for (std::size_t i = 0; i < 3; ++i) net.start(i);
  net.run_for(10 * net.cycle_time());
  Time joined = net.now();
  net.start(late);
  net.run_for(15 * net.cycle_time());

  cr_expect_eq(net.count_all(EventType::kDetag), 0);
  cr_expect_eq(net.count_all(EventType::kRecover), 0);
  cr_expect(net.overlaps().empty());
  cr_expect(net.count(EventType::kTag, late, joined) >= 1,
            "the newcomer never got onto the chain");
}

Test(engine_join, a_joining_node_adopts_the_running_chain) {
  FakeNet net(fast_setup());
  for (int i = 0; i < 3; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), i);
  std::size_t late = net.add("z");
  for (std::size_t i = 0; i < 3; ++i) net.start(i);
  net.run_for(10 * net.cycle_time());
  net.start(late);
  Time started = net.now();
  while (net.engine(late).history().empty()) net.run_for(0.01);
  cr_expect(net.now() - started < net.cycle_time());
  cr_expect_eq(net.sent_by(late, MessageType::kPing), 0);
  cr_expect(net.engine(late).history() == net.engine(0).history());
}

Test(engine_join, nodes_started_together_form_one_chain) {
  FakeNet net(fast_setup());
  for (int i = 0; i < 20; ++i) net.add("n" + std::to_string(i), i);
  net.start_all();
  net.run_for(15 * net.cycle_time());
  for (std::size_t i = 1; i < net.size(); ++i)
    cr_expect(net.engine(i).history() == net.engine(0).history());
  // Full: beacons carry min(splits, nodes) = 4 names.
  cr_expect(net.engine(0).history().size() >= 4u, "chain of %zu",
            net.engine(0).history().size());
  cr_expect(net.overlaps().empty());
}

namespace {

Message ping(const std::string& node, std::vector<std::string> history) {
  Message m;
  m.type = MessageType::kPing;
  m.node = node;
  m.value = Value::number(1);
  m.history = std::move(history);
  return m;
}

Engine joiner() {
  EngineConfig c;
  c.name = "z";
  c.setup = fast_setup();
  c.value = Value::number(9);
  return Engine(c);
}

}  // namespace

Test(engine_join, a_joiner_waits_a_beacon_before_trying_the_early_slot) {
  // z knows three nodes, two of them on the chain: by the count of
  // PROTOCOL 5.3 it is the only outsider and would always go early.
  const Setup s = fast_setup();
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    EngineConfig c;
    c.name = "z";
    c.setup = s;
    c.value = Value::number(9);
    c.seed = seed;
    Engine e(c);
    e.start(0);
    (void)e.receive(ping("b", {"b", "a"}), 0.5);
    for (Time t = 0.5; t < 0.5 + s.cycle + 1.5 * s.gap - 0.01; t += 0.01) {
      e.advance(t);
      while (auto m = e.pop_message())
        cr_expect(m->type != MessageType::kPing, "seed %d: early at %g",
                  static_cast<int>(seed), t);
    }
  }
}

Test(engine_join, a_joiner_whose_view_is_outdated_catches_up_quietly) {
  // z adopted c's beacon, which lost a collision to b's before z started
  // listening; the group's next beacon answers b.
  Engine e = joiner();
  e.start(0);
  (void)e.receive(ping("c", {"c", "a"}), 0.5);
  cr_assert(e.history() == (std::vector<std::string>{"c", "a"}));
  (void)e.receive(ping("d", {"d", "b", "a", "c"}), 2.9);
  cr_expect(e.history() == (std::vector<std::string>{"d", "b", "a", "c"}));
  while (auto ev = e.pop_event()) {
    cr_expect(ev->type != EventType::kRecover);
    cr_expect(ev->type != EventType::kDetag);
  }
  while (auto m = e.pop_message()) cr_expect(m->type != MessageType::kHist);
}
