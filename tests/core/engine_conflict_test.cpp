// engine_conflict_test.cpp: colliding beacons are decided by the priority
// rule, alike on every node whatever the arrival order (PROTOCOL 6).
#include <criterion/criterion.h>

#include <algorithm>

#include "fake_net.hpp"

using namespace aatest;

namespace {

Message ping(const std::string& node, Value value,
             std::vector<std::string> history) {
  Message m;
  m.type = MessageType::kPing;
  m.node = node;
  m.value = std::move(value);
  m.history = std::move(history);
  return m;
}

std::vector<EventType> drain(Engine& e) {
  std::vector<EventType> types;
  while (auto ev = e.pop_event()) types.push_back(ev->type);
  return types;
}

// observer() is a running engine that adopted the chain [a] at 0.1 and
// reported it at 0.5; it cannot beacon before 2.1.
Engine observer(const std::string& name = "o") {
  EngineConfig c;
  c.name = name;
  c.setup = fast_setup();
  c.value = Value::number(0);
  Engine e(c);
  e.start(0);
  cr_assert(e.receive(ping("a", Value::number(1), {"a"}), 0.1) ==
            DropReason::kNone);
  e.advance(0.6);
  drain(e);
  return e;
}

bool has(const std::vector<EventType>& v, EventType t) {
  return std::find(v.begin(), v.end(), t) != v.end();
}

// decide() feeds two colliding answers to [a] in the given order and
// returns the head of the resulting view.
std::string decide(const Message& first, const Message& second) {
  Engine e = observer();
  (void)e.receive(first, 1.0);
  (void)e.receive(second, 1.05);
  cr_expect_eq(e.history().size(), 2u);
  cr_expect_eq(e.history()[1], "a");
  return e.history()[0];
}

}  // namespace

Test(engine_conflict, the_larger_value_wins_in_either_order) {
  Message b = ping("b", Value::number(1), {"b", "a"});
  Message c = ping("c", Value::number(2), {"c", "a"});
  cr_expect_eq(decide(b, c), "c");
  cr_expect_eq(decide(c, b), "c");
}

Test(engine_conflict, equal_values_go_to_the_smaller_name_in_either_order) {
  Message b = ping("b", Value::number(1), {"b", "a"});
  Message c = ping("c", Value::number(1), {"c", "a"});
  cr_expect_eq(decide(b, c), "b");
  cr_expect_eq(decide(c, b), "b");
}

Test(engine_conflict, a_ready_node_beats_a_node_that_is_not_ready) {
  Message b = ping("b", Value(), {"b", "a"});
  Message c = ping("c", Value::number(-5), {"c", "a"});
  cr_expect_eq(decide(b, c), "c");
  cr_expect_eq(decide(c, b), "c");
}

Test(engine_conflict, a_string_value_beats_a_number) {
  Message b = ping("b", Value::string("x"), {"b", "a"});
  Message c = ping("c", Value::number(100), {"c", "a"});
  cr_expect_eq(decide(b, c), "b");
  cr_expect_eq(decide(c, b), "b");
}

Test(engine_conflict, a_plain_collision_reports_no_recover) {
  Engine e = observer();
  (void)e.receive(ping("b", Value::number(1), {"b", "a"}), 1.0);
  (void)e.receive(ping("c", Value::number(2), {"c", "a"}), 1.05);
  e.advance(1.6);
  auto events = drain(e);
  cr_expect(!has(events, EventType::kRecover));
  cr_expect(has(events, EventType::kPing));
}

Test(engine_conflict, the_winner_is_reported_as_it) {
  Engine e = observer();
  (void)e.receive(ping("b", Value::number(1), {"b", "a"}), 1.0);
  (void)e.receive(ping("c", Value::number(2), {"c", "a"}), 1.05);
  e.advance(1.6);
  int reports = 0;
  while (auto ev = e.pop_event()) {
    if (ev->type != EventType::kPing) continue;
    ++reports;
    cr_expect_eq(ev->node, "c");
  }
  cr_expect_eq(reports, 1);
}

Test(engine_conflict, colliding_nodes_in_a_group_agree_on_one_chain) {
  // Zero spread between the outsiders' early slots forces collisions.
  FakeNet net(fast_setup());
  for (int i = 0; i < 6; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), i % 3);
  net.start_all();
  net.run_for(40 * net.cycle_time());
  cr_expect(net.overlaps().empty());
  for (std::size_t i = 1; i < net.size(); ++i)
    cr_expect(net.engine(i).history() == net.engine(0).history(),
              "node %zu sees another chain", i);
}

Test(engine_conflict, a_tagged_node_that_sees_a_better_beacon_is_detagged) {
  FakeNet net(fast_setup());
  net.add("m", 1);
  net.start_all();
  net.run_for(net.cycle_time() + 0.6);
  cr_assert(net.engine(0).tag_state() == TagState::kTagged);

  Engine& e = net.engine(0);
  DropReason why = e.receive(ping("z", Value::number(9), {"z"}), net.now());
  cr_assert(why == DropReason::kNone);
  cr_expect(e.tag_state() == TagState::kIdle);
  auto events = drain(e);
  cr_expect(has(events, EventType::kDetag));
  cr_expect(!has(events, EventType::kUntag));
  cr_expect(e.history() == std::vector<std::string>{"z"});
}

Test(engine_conflict, a_worse_beacon_leaves_the_tag_alone) {
  FakeNet net(fast_setup());
  net.add("m", 5);
  net.start_all();
  net.run_for(net.cycle_time() + 0.6);
  Engine& e = net.engine(0);
  cr_assert(e.tag_state() == TagState::kTagged);
  (void)e.receive(ping("z", Value::number(1), {"z"}), net.now());
  cr_expect(e.tag_state() == TagState::kTagged);
  cr_expect(e.history() == std::vector<std::string>{"m"});
}

Test(engine_conflict, a_pending_node_that_loses_never_takes_the_tag) {
  FakeNet net(fast_setup());
  net.add("m", 1);
  net.start_all();
  Time first_ping = 0;
  while (first_ping == 0) {
    net.run_for(0.01);
    if (net.sent_by(0, MessageType::kPing) > 0) first_ping = net.now();
  }
  Engine& e = net.engine(0);
  cr_assert(e.tag_state() == TagState::kPending);
  (void)e.receive(ping("z", Value::number(9), {"z"}), net.now());
  cr_expect(e.tag_state() == TagState::kIdle);
  e.advance(net.now() + 1);
  auto events = drain(e);
  cr_expect(!has(events, EventType::kTag));
  cr_expect(!has(events, EventType::kDetag));
}

Test(engine_conflict, a_holder_keeps_its_tag_when_two_nodes_answer_it) {
  FakeNet net(fast_setup());
  net.add("m", 1);
  net.start_all();
  net.run_for(net.cycle_time() + 0.6);
  Engine& e = net.engine(0);
  cr_assert(e.tag_state() == TagState::kTagged);
  drain(e);

  // Two joiners answer m's beacon at once; a wins by its name. Neither
  // beacon competes with m's tag, which ends on its own.
  (void)e.receive(ping("b", Value::number(1), {"b", "m"}), net.now());
  (void)e.receive(ping("a", Value::number(1), {"a", "m"}), net.now() + 0.05);
  cr_expect(e.tag_state() == TagState::kTagged);
  cr_expect(!has(drain(e), EventType::kDetag));
  cr_expect(e.history() == (std::vector<std::string>{"a", "m"}));
}

Test(engine_conflict, a_head_speaking_again_and_an_answer_decide_alike) {
  // observer() holds [a]; a speaks again at its last-resort slot while b
  // answers a's earlier beacon. Both orders must give the same head.
  for (double b_value : {1.0, 2.0}) {
    Message again = ping("a", Value::number(1), {"a"});
    Message answer = ping("b", Value::number(b_value), {"b", "a"});
    Engine one = observer();
    (void)one.receive(again, 1.0);
    (void)one.receive(answer, 1.05);
    Engine two = observer();
    (void)two.receive(answer, 1.0);
    (void)two.receive(again, 1.05);
    cr_expect(one.history() == two.history(), "b value %g: %s vs %s",
              b_value, one.history()[0].c_str(), two.history()[0].c_str());
    cr_expect_eq(one.history()[0], b_value > 1 ? "b" : "a");
    for (Engine* e : {&one, &two})
      cr_expect(!has(drain(*e), EventType::kRecover));
  }
}

Test(engine_conflict, an_answer_to_the_repeat_itself_is_accepted) {
  Engine e = observer();
  (void)e.receive(ping("a", Value::number(1), {"a"}), 1.0);
  // A cycle later b answers the repeat: no collision, b is the new head.
  (void)e.receive(ping("b", Value::number(0), {"b", "a"}), 3.1);
  cr_expect(e.history() == (std::vector<std::string>{"b", "a"}));
}

Test(engine_conflict, a_repeat_that_wins_a_collision_also_beats_late_answers) {
  // b's answer arrives first, then a's repeat (which wins by its name),
  // then c's answer to a's earlier beacon: it collides with the repeat.
  Engine e = observer();
  (void)e.receive(ping("b", Value::number(1), {"b", "a"}), 1.0);
  (void)e.receive(ping("a", Value::number(1), {"a"}), 1.05);
  (void)e.receive(ping("c", Value::number(1), {"c", "a"}), 1.1);
  cr_expect(e.history() == std::vector<std::string>{"a"}, "head %s",
            e.history()[0].c_str());
}
