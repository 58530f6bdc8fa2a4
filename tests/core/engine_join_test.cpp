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
