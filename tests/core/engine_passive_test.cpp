// engine_passive_test.cpp: a disabled node listens and reports but never
// sends; its view is unbounded so that it mirrors the group (PROTOCOL 9).
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

std::size_t add_passive(FakeNet& net, const std::string& name) {
  EngineConfig c = net.config(name, 100);
  c.enabled = false;
  return net.add(c);
}

}  // namespace

Test(engine_passive, a_passive_node_never_sends) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b", "c"}) net.add(n);
  std::size_t p = add_passive(net, "p");
  net.start_all();
  net.run_for(30 * net.cycle_time());
  for (auto t : {MessageType::kInit, MessageType::kVers, MessageType::kPing,
                 MessageType::kHist})
    cr_expect_eq(net.sent_by(p, t), 0);
  cr_expect_eq(net.engine(p).counters().sent, 0u);
  cr_expect_eq(net.count(EventType::kTag, p), 0);
  cr_expect(!net.engine(p).enabled());
}

Test(engine_passive, a_passive_node_reports_who_is_it) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b", "c"}) net.add(n);
  std::size_t p = add_passive(net, "p");
  net.start_all();
  net.run_for(20 * net.cycle_time());
  cr_expect(net.count(EventType::kPing, p) >= 15);
  cr_expect(net.engine(p).nodes().size() == 4u);
}

Test(engine_passive, a_passive_view_mirrors_the_chain_and_is_unbounded) {
  Setup s = fast_setup();
  s.nodes = 2;
  s.splits = 2;
  FakeNet net(s);
  for (const char* n : {"a", "b", "c", "d"}) net.add(n);
  std::size_t p = add_passive(net, "p");
  net.start_all();
  net.run_for(40 * net.cycle_time());
  const auto& mirror = net.engine(p).history();
  const auto& chain = net.engine(0).history();
  cr_assert(mirror.size() >= chain.size());
  cr_expect(std::equal(chain.begin(), chain.end(), mirror.begin()));
  cr_expect(mirror.size() > 2u, "passive view of %zu", mirror.size());
}

Test(engine_passive, a_passive_node_alone_stays_silent) {
  FakeNet net(fast_setup());
  std::size_t p = add_passive(net, "p");
  net.start_all();
  net.run_for(5 * net.cycle_time());
  cr_expect(net.sent().empty());
  cr_expect(net.engine(p).history().empty());
  cr_expect_eq(net.count(EventType::kIsolated, p), 1);
}
