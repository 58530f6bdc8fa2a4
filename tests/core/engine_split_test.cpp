// engine_split_test.cpp: a network split heals into one chain, and both
// sides report the recovery (PROTOCOL 6 and 7).
#include <criterion/criterion.h>

#include <set>

#include "fake_net.hpp"

using namespace aatest;

namespace {

struct Healed {
  Time split_at;
  Time healed_at;
};

Healed split_and_heal(FakeNet& net) {
  for (int i = 0; i < 6; ++i)
    net.add(std::string(1, static_cast<char>('a' + i)), 10 + i);
  net.start_all();
  net.run_for(10 * net.cycle_time());
  Time split_at = net.now();
  net.split({0, 0, 0, 1, 1, 1});
  net.run_for(10 * net.cycle_time());
  net.heal();
  Time healed_at = net.now();
  net.run_for(6 * net.cycle_time());
  return {split_at, healed_at};
}

bool left(std::size_t i) { return i < 3; }

}  // namespace

Test(engine_split, both_sides_keep_a_tag_while_split) {
  FakeNet net(fast_setup());
  Healed h = split_and_heal(net);
  Time from = h.split_at + 3 * net.cycle_time();
  int left_tags = 0, right_tags = 0;
  for (const auto& l : net.events())
    if (l.event.type == EventType::kTag && l.time > from &&
        l.time < h.healed_at)
      (left(l.node) ? left_tags : right_tags)++;
  cr_expect(left_tags >= 3 && right_tags >= 3, "%d left, %d right",
            left_tags, right_tags);
}

Test(engine_split, healing_reports_recover_on_both_sides) {
  FakeNet net(fast_setup());
  Healed h = split_and_heal(net);
  std::set<bool> sides;
  std::set<bool> replaced;
  for (const auto& l : net.events()) {
    if (l.event.type != EventType::kRecover || l.time < h.healed_at) continue;
    sides.insert(left(l.node));
    replaced.insert(l.event.replaced);
    cr_expect(!l.event.local.empty() && !l.event.remote.empty());
    cr_expect_eq(l.event.local[l.event.priority], net.engine(l.node).name());
  }
  cr_expect_eq(sides.size(), 2u, "recover on one side only");
  cr_expect_eq(replaced.size(), 2u, "both sides think they won or lost");
  cr_expect_eq(net.count_all(EventType::kRecover, -1),
               net.count_all(EventType::kRecover, h.healed_at),
               "recover reported while split");
}

Test(engine_split, after_healing_one_tag_within_two_cycles) {
  FakeNet net(fast_setup());
  Healed h = split_and_heal(net);
  cr_expect(net.overlaps(h.healed_at + net.setup().gap).empty(),
            "two tags after the heal at %g",
            net.overlaps(h.healed_at + net.setup().gap)[0]);
  bool tagged_soon = false;
  for (const auto& s : net.tag_spans())
    if (s.start > h.healed_at && s.start < h.healed_at + 2 * net.cycle_time())
      tagged_soon = true;
  cr_expect(tagged_soon);
  for (std::size_t i = 1; i < net.size(); ++i)
    cr_expect(net.engine(i).history() == net.engine(0).history(),
              "node %zu has another chain after the heal", i);
}

Test(engine_split, a_healed_split_sends_few_hists) {
  FakeNet net(fast_setup());
  Healed h = split_and_heal(net);
  int hists = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    hists += net.sent_by(i, MessageType::kHist, h.healed_at);
  cr_expect(hists >= 1 && hists <= 2, "%d hists", hists);
}
