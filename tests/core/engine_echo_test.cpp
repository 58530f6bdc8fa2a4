// engine_echo_test.cpp: the engine handles its own sends at once; the
// channel's copy of them is counted as an echo and changes nothing.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

Test(engine_echo, echoes_are_counted_and_ignored) {
  FakeNet::Options o;
  o.echo = true;
  FakeNet net(fast_setup(), o);
  for (const char* n : {"a", "b", "c"}) net.add(n);
  net.start_all();
  net.run_for(20 * net.cycle_time());
  net.run_for(1);  // let the last echoes arrive
  for (std::size_t i = 0; i < 3; ++i) {
    const Counters& c = net.engine(i).counters();
    cr_expect_eq(c.echoes, c.sent, "node %zu: %llu echoes of %llu sent", i,
                 static_cast<unsigned long long>(c.echoes),
                 static_cast<unsigned long long>(c.sent));
    cr_expect(net.count(EventType::kTag, i) >= 3);
  }
  cr_expect_eq(net.count_all(EventType::kClash), 0);
  cr_expect(net.overlaps().empty());
}

Test(engine_echo, echoes_do_not_change_the_outcome) {
  FakeNet::Options with;
  with.echo = true;
  FakeNet a(fast_setup(), with);
  FakeNet b(fast_setup());
  for (FakeNet* net : {&a, &b}) {
    for (const char* n : {"a", "b", "c"}) net->add(n);
    net->start_all();
    net->run_for(15 * net->cycle_time());
  }
  cr_expect_eq(a.tag_spans().size(), b.tag_spans().size());
  for (std::size_t i = 0; i < 3; ++i)
    cr_expect(a.engine(i).history() == b.engine(i).history());
}

Test(engine_echo, a_late_echo_is_still_recognised) {
  FakeNet::Options o;
  o.echo = true;
  o.delay = 0.19;  // just under gap / 2
  FakeNet net(fast_setup(), o);
  net.add("a");
  net.start_all();
  net.run_for(5 * net.cycle_time());
  net.run_for(2 * o.delay);  // the last echo may still be on its way
  cr_expect_eq(net.engine(0).counters().echoes, net.engine(0).counters().sent);
  cr_expect(!net.engine(0).clashing());
}
