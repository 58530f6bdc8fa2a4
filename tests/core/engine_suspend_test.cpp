// engine_suspend_test.cpp: a node whose process was stopped drops a tag
// whose time has passed before it does anything else (PROTOCOL 5.4).
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

// tagged_lone_node() runs a lone node until it holds the tag.
void run_until_tagged(FakeNet& net) {
  net.add("a");
  net.start_all();
  while (net.engine(0).tag_state() != TagState::kTagged) net.run_for(0.01);
}

std::vector<Event> drain(Engine& e) {
  std::vector<Event> out;
  while (auto ev = e.pop_event()) out.push_back(*ev);
  return out;
}

}  // namespace

Test(engine_suspend, waking_by_a_timer_first_drops_the_stale_tag) {
  FakeNet net(fast_setup());
  run_until_tagged(net);
  Engine& e = net.engine(0);
  drain(e);

  Time woke = net.now() + 3 * net.cycle_time();
  e.advance(woke);
  auto events = drain(e);
  cr_assert(!events.empty());
  cr_expect(events[0].type == EventType::kUntag, "first was %s",
            event_type_name(events[0].type));
  cr_expect(events[0].time == woke);
  for (std::size_t i = 1; i < events.size(); ++i)
    cr_expect(events[i].type != EventType::kUntag);
}

Test(engine_suspend, waking_by_a_message_first_drops_the_stale_tag) {
  FakeNet net(fast_setup());
  run_until_tagged(net);
  Engine& e = net.engine(0);
  drain(e);

  Message m;
  m.type = MessageType::kPing;
  m.node = "z";
  m.value = Value::number(0);
  m.history = {"z"};
  (void)e.receive(m, net.now() + 3 * net.cycle_time());
  auto events = drain(e);
  cr_assert(!events.empty());
  cr_expect(events[0].type == EventType::kUntag);
  cr_expect(e.tag_state() != TagState::kTagged);
}

Test(engine_suspend, a_pending_tag_that_went_stale_is_never_announced) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  while (net.engine(0).tag_state() != TagState::kPending) net.run_for(0.01);
  Engine& e = net.engine(0);
  drain(e);

  e.advance(net.now() + net.setup().cycle + net.setup().gap);
  for (const auto& ev : drain(e)) {
    cr_expect(ev.type != EventType::kTag);
    cr_expect(ev.type != EventType::kUntag);
  }
}

Test(engine_suspend, a_suspended_member_rejoins_without_two_tags) {
  FakeNet net(fast_setup());
  for (int i = 0; i < 3; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), i);
  net.start_all();
  net.run_for(10 * net.cycle_time());
  while (net.engine(1).tag_state() != TagState::kTagged) net.run_for(0.01);
  net.suspend(1);
  net.run_for(3 * net.cycle_time());
  net.watch([](std::size_t i) { return i != 1; });
  net.resume(1);
  cr_expect(net.engine(1).tag_state() != TagState::kTagged);
  net.watch(nullptr);
  net.run_for(10 * net.cycle_time());
  cr_expect(net.overlaps(net.now() - 8 * net.cycle_time()).empty());
}

Test(engine_suspend, a_member_that_wakes_late_sends_no_stale_beacon) {
  FakeNet net(fast_setup());
  for (const char* n : {"a", "b", "c"}) net.add(n);
  net.start_all();
  net.run_for(10 * net.cycle_time());
  net.suspend(2);
  net.run_for(3 * net.cycle_time());
  Time woke = net.now();
  net.resume(2);
  net.run_for(net.setup().gap);
  cr_expect_eq(net.sent_by(2, MessageType::kPing, woke), 0,
               "a beacon from the view it had before it slept");
  cr_expect_eq(net.count(EventType::kIsolated, 2), 0);
  cr_expect_eq(net.count_all(EventType::kRecover), 0);
  cr_expect_eq(net.count_all(EventType::kClash), 0);
  net.run_for(10 * net.cycle_time());
  cr_expect(net.engine(2).history() == net.engine(0).history());
  cr_expect(net.count(EventType::kTag, 2, woke) >= 1);
}

Test(engine_suspend, a_short_sleep_past_the_gap_drops_the_pending_tag) {
  FakeNet net(fast_setup());
  net.add("a");
  net.start_all();
  while (net.engine(0).tag_state() != TagState::kPending) net.run_for(0.01);
  Engine& e = net.engine(0);
  drain(e);

  // Awake again 1.5 gaps later: the tag period has not ended, but the
  // node cannot know what arrived meanwhile.
  e.advance(net.now() + 1.5 * net.setup().gap);
  cr_expect(e.tag_state() == TagState::kIdle);
  for (const auto& ev : drain(e)) cr_expect(ev.type != EventType::kTag);
}
