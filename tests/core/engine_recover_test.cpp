// engine_recover_test.cpp: what a node on one side of a healed split
// reports and sends (PROTOCOL 6): a recover event with its priority and
// both chains, and a hist after G * (1 - 2^-p) unless its side speaks.
#include <criterion/criterion.h>

#include <algorithm>

#include "fake_net.hpp"

using namespace aatest;

namespace {

Message ping(const std::string& node, double value,
             std::vector<std::string> history) {
  Message m;
  m.type = MessageType::kPing;
  m.node = node;
  m.value = Value::number(value);
  m.history = std::move(history);
  return m;
}

Message hist(double value, std::vector<std::string> history) {
  Message m;
  m.type = MessageType::kHist;
  m.value = Value::number(value);
  m.history = std::move(history);
  return m;
}

// Member is engine "c" whose view is [a, b, c] (priority 2) at time `now`,
// with nothing queued.
struct Member {
  Engine e;
  Time now = 0;
  std::vector<Message> sent;
  std::vector<Event> events;

  Member() : e(make()) {
    e.start(0);
    (void)e.receive(ping("a", 5, {"a"}), 0.1);
    while (!sends_ping()) now += 0.01;  // c answers a: [c, a]
    (void)e.receive(ping("b", 5, {"b", "c", "a"}), now + 0.1);
    (void)e.receive(ping("a", 5, {"a", "b", "c"}), now + 0.2);
    now += 0.3;
    e.advance(now);
    take();
    sent.clear();
    events.clear();
  }

  static Engine make() {
    EngineConfig c;
    c.name = "c";
    c.setup = fast_setup();
    c.value = Value::number(5);
    return Engine(c);
  }

  bool sends_ping() {
    e.advance(now);
    take();
    return std::any_of(sent.begin(), sent.end(), [](const Message& m) {
      return m.type == MessageType::kPing;
    });
  }

  void take() {
    while (auto m = e.pop_message()) sent.push_back(*m);
    while (auto ev = e.pop_event()) events.push_back(*ev);
  }

  void receive(const Message& m, Time at) {
    (void)e.receive(m, at);
    now = at;
    take();
  }

  void run_until(Time t) {
    for (; now < t; now += 0.005) {
      e.advance(now);
      take();
    }
  }

  int hists() const {
    return static_cast<int>(
        std::count_if(sent.begin(), sent.end(), [](const Message& m) {
          return m.type == MessageType::kHist;
        }));
  }

  const Event* recover() const {
    for (const auto& ev : events)
      if (ev.type == EventType::kRecover) return &ev;
    return nullptr;
  }
};

}  // namespace

Test(engine_recover, the_event_names_priority_and_both_chains) {
  Member m;
  cr_assert(m.e.history() == (std::vector<std::string>{"a", "b", "c"}));
  m.receive(ping("x", 1, {"x", "y"}), m.now + 0.01);
  const Event* r = m.recover();
  cr_assert(r, "no recover event");
  cr_expect_eq(r->priority, 2);
  cr_expect(!r->replaced, "a worse chain replaced ours");
  cr_expect(r->local == (std::vector<std::string>{"a", "b", "c"}));
  cr_expect(r->remote == (std::vector<std::string>{"x", "y"}));
  cr_expect(m.e.history() == (std::vector<std::string>{"a", "b", "c"}));
}

Test(engine_recover, a_better_chain_replaces_ours_and_says_so) {
  Member m;
  m.receive(ping("x", 9, {"x", "y"}), m.now + 0.01);
  const Event* r = m.recover();
  cr_assert(r);
  cr_expect(r->replaced);
  cr_expect(m.e.history() == (std::vector<std::string>{"x", "y"}));
}

Test(engine_recover, the_hist_leaves_after_g_times_one_minus_two_to_minus_p) {
  Member m;
  Time heal = m.now + 0.01;
  m.receive(ping("x", 1, {"x", "y"}), heal);
  Time wait = m.e.setup().gap * (1 - 0.25);  // p = 2
  m.run_until(heal + wait - 0.01);
  cr_expect_eq(m.hists(), 0, "hist before its slot");
  m.run_until(heal + wait + 0.01);
  cr_assert_eq(m.hists(), 1);
  const Message& h = m.sent.back();
  cr_expect(h.history == (std::vector<std::string>{"a", "b", "c"}));
  cr_expect(h.value == Value::number(5));
}

Test(engine_recover, a_ping_from_our_side_cancels_the_hist) {
  Member m;
  Time heal = m.now + 0.01;
  m.receive(ping("x", 1, {"x", "y"}), heal);
  m.receive(hist(5, {"a", "b", "c"}), heal + 0.05);  // a sent it first
  m.run_until(heal + m.e.setup().gap);
  cr_expect_eq(m.hists(), 0);
}

Test(engine_recover, the_head_sends_its_hist_at_once) {
  Member m;
  // c speaks: [c, a, b], priority 0.
  (void)m.e.receive(ping("b", 5, {"b", "a", "c"}), m.now + 0.01);
  m.now += 0.01;
  while (!m.sends_ping()) m.now += 0.01;
  m.sent.clear();
  m.events.clear();
  cr_assert_eq(m.e.history()[0], "c");
  m.receive(ping("x", 1, {"x", "y"}), m.now + 0.01);
  cr_expect_eq(m.hists(), 1);
  const Event* r = m.recover();
  cr_assert(r);
  cr_expect_eq(r->priority, 0);
}

Test(engine_recover, the_winning_head_answers_each_losing_beacon) {
  Member m;
  (void)m.e.receive(ping("b", 5, {"b", "a", "c"}), m.now + 0.01);
  m.now += 0.01;
  while (!m.sends_ping()) m.now += 0.01;
  m.sent.clear();
  m.receive(ping("x", 1, {"x", "y"}), m.now + 0.01);
  cr_assert_eq(m.hists(), 1);
  // The other side, not yet convinced, beacons again: answered once more,
  // with no second recover event.
  m.receive(ping("y", 1, {"y", "x"}), m.now + 0.2);
  cr_expect_eq(m.hists(), 2);
  int recovers = 0;
  for (const auto& ev : m.events) recovers += ev.type == EventType::kRecover;
  cr_expect_eq(recovers, 1);
}

Test(engine_recover, a_node_that_is_not_ready_reports_no_recover) {
  EngineConfig c;
  c.name = "u";
  c.setup = fast_setup();
  Engine e(c);  // value null
  e.start(0);
  (void)e.receive(ping("a", 5, {"a"}), 0.1);
  (void)e.receive(ping("b", 5, {"b", "a"}), 2.5);
  (void)e.receive(ping("x", 1, {"x", "y"}), 2.6);
  while (auto ev = e.pop_event()) cr_expect(ev->type != EventType::kRecover);
  while (auto msg = e.pop_message())
    cr_expect(msg->type != MessageType::kHist);
}

Test(engine_recover, a_hist_of_our_chain_one_beacon_ago_changes_nothing) {
  // b wrote it before a's beacon reached it; b would beat a.
  Member m;
  m.receive(hist(9, {"b", "c"}), m.now + 0.01);
  cr_expect(m.e.history() == (std::vector<std::string>{"a", "b", "c"}));
  cr_expect(!m.recover());
  cr_expect_eq(m.hists(), 0);
}
