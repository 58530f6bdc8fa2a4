// engine_clash_test.cpp: two nodes with one name: the newcomer, or the
// node that meets a running twin, gives way until the twin is gone.
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

const Event* first_event(const FakeNet& net, std::size_t node, EventType type) {
  for (const auto& l : net.events())
    if (l.node == node && l.event.type == type) return &l.event;
  return nullptr;
}

Message ping(const std::string& node, std::vector<std::string> history) {
  Message m;
  m.type = MessageType::kPing;
  m.node = node;
  m.value = Value::number(1);
  m.history = std::move(history);
  return m;
}

void newcomer_meets_running_twin(FakeNet& net) {
  net.add("a");
  net.add("b");
  net.add("a");  // the newcomer
  net.start(0);
  net.start(1);
  net.run_for(5 * net.cycle_time());
  net.start(2);
  net.run_for(net.setup().gap);
}

}  // namespace

Test(engine_clash, a_newcomer_with_a_taken_name_is_told_and_yields) {
  FakeNet net(fast_setup());
  newcomer_meets_running_twin(net);

  const Event* old_side = first_event(net, 0, EventType::kClash);
  const Event* new_side = first_event(net, 2, EventType::kClash);
  cr_assert(old_side && new_side);
  cr_expect(!old_side->must_yield);
  cr_expect(new_side->must_yield);
  cr_expect_eq(new_side->node, "a");
  cr_expect(!net.engine(0).clashing());
  cr_expect(net.engine(2).clashing());
}

Test(engine_clash, the_node_that_yields_sends_nothing_while_its_twin_runs) {
  FakeNet net(fast_setup());
  newcomer_meets_running_twin(net);
  Time yielded = net.now();
  net.run_for(10 * net.cycle_time());
  cr_expect_eq(net.sent_by(2, MessageType::kPing, yielded), 0);
  cr_expect_eq(net.count(EventType::kTag, 2), 0);
  cr_expect(net.count(EventType::kTag, 0, yielded) >= 2);
  cr_expect_eq(net.count_all(EventType::kDetag), 0);
}

Test(engine_clash, the_running_node_answers_a_starting_twin_once) {
  FakeNet net(fast_setup());
  newcomer_meets_running_twin(net);
  net.run_for(net.cycle_time());
  int answers = 0;
  for (const auto& s : net.sent())
    if (s.node == 0 && s.message.type == MessageType::kVers && s.time > 1)
      ++answers;
  cr_expect_eq(answers, 1);
  cr_expect_eq(net.count(EventType::kClash, 0), 1);
}

Test(engine_clash, a_running_node_that_hears_its_name_in_a_ping_yields) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());
  Engine& e = net.engine(0);
  DropReason why = e.receive(ping("a", {"a", "q"}), net.now());
  cr_expect(why == DropReason::kNone);
  cr_expect(e.clashing());
  cr_expect(e.tag_state() != TagState::kTagged);
  bool yielded = false;
  while (auto ev = e.pop_event())
    if (ev->type == EventType::kClash) yielded = ev->must_yield;
  cr_expect(yielded);
}

Test(engine_clash, the_clash_ends_after_a_quiet_spell_and_the_node_restarts) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());
  Time clash = net.now();
  (void)net.engine(0).receive(ping("a", {"a", "q"}), clash);
  const Setup& s = net.setup();
  Time quiet = s.cycle + 3 * s.gap;

  net.run_until(clash + quiet - 0.05);
  cr_expect(net.engine(0).clashing());
  cr_expect_eq(net.sent_by(0, MessageType::kPing, clash), 0);
  net.run_until(clash + quiet + 0.05);
  cr_expect(!net.engine(0).clashing());
  cr_expect_eq(net.sent_by(0, MessageType::kInit, clash), 1);
  net.run_for(2 * net.cycle_time());
  cr_expect(net.sent_by(0, MessageType::kPing, clash) >= 1);
}

Test(engine_clash, each_foreign_message_extends_the_clash) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());
  const Setup& s = net.setup();
  Time quiet = s.cycle + 3 * s.gap;
  Time t = net.now();
  (void)net.engine(0).receive(ping("a", {"a", "q"}), t);
  net.run_until(t + quiet / 2);
  (void)net.engine(0).receive(ping("a", {"a", "r"}), net.now());
  net.run_until(t + quiet + 0.1);
  cr_expect(net.engine(0).clashing());
  cr_expect_eq(net.count(EventType::kClash, 0), 1);
}

Test(engine_clash, a_clash_is_seen_even_when_the_transport_echoes) {
  FakeNet::Options o;
  o.echo = true;
  FakeNet net(fast_setup(), o);
  newcomer_meets_running_twin(net);
  cr_expect(net.engine(2).clashing());
  cr_expect(!net.engine(0).clashing());
}

Test(engine_clash, a_name_in_a_beacons_history_is_no_clash) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());
  (void)net.engine(0).receive(ping("b", {"b", "a"}), net.now());
  cr_expect(!net.engine(0).clashing());
  cr_expect_eq(net.count(EventType::kClash, 0), 0);
}

Test(engine_clash, a_hist_headed_by_my_name_is_no_clash) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  net.run_for(3 * net.cycle_time());
  // Any member of a's former chain may send this hist, a asleep or not.
  Message m;
  m.type = MessageType::kHist;
  m.value = Value::number(1);
  m.history = {"a", "q"};
  (void)net.engine(0).receive(m, net.now());
  cr_expect(!net.engine(0).clashing());
  while (auto ev = net.engine(0).pop_event())
    cr_expect(ev->type != EventType::kClash);
}
