// measure_test.cpp: the simulator's measurements, on scripted tag events.
// These check the ruler, not the protocol: no engine runs here.
#include <criterion/criterion.h>

#include "recorder.hpp"

using asyncactor::Event;
using asyncactor::EventType;
using asyncactor::sim::Figures;
using asyncactor::sim::Scenario;
using namespace asyncactor::sim::detail;

namespace {

Event event(EventType type) {
  Event e;
  e.type = type;
  return e;
}

std::vector<NodeFacts> facts(std::size_t n) {
  std::vector<NodeFacts> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back({"n" + std::to_string(i), 0, true, 6.5, 1});
  }
  return out;
}

// one_part() is a network that is never cut.
std::vector<Epoch> one_part(std::size_t n) {
  return {{0, std::vector<int>(n, 0)}};
}

// halves() cuts {0, 1} from {2, 3} during [from, to).
std::vector<Epoch> halves(double from, double to) {
  return {{0, {0, 0, 0, 0}}, {from, {0, 0, 1, 1}}, {to, {0, 0, 0, 0}}};
}

void tag(Recorder& r, std::size_t node, double from, double to) {
  r.on_event(from, node, event(EventType::kTag));
  r.on_event(to, node, event(EventType::kUntag));
}

Recorder awake(std::size_t n, std::vector<Epoch> epochs) {
  Recorder r(facts(n), std::move(epochs));
  for (std::size_t i = 0; i < n; ++i) r.on_wake(0, i);
  return r;
}

}  // namespace

Test(measure, overlap_in_one_part_is_a_violation) {
  Recorder r = awake(2, one_part(2));
  tag(r, 0, 1, 8);
  tag(r, 1, 7.5, 14);
  Figures f = r.finish(20, Scenario{});
  cr_assert_eq(f.safety_violations, 1);
  cr_assert_float_eq(f.first_violations.at(0).time, 7.5, 1e-9);
  cr_assert_str_eq(f.first_violations[0].nodes.at(1).c_str(), "n1");
}

Test(measure, touching_tags_are_not_an_overlap) {
  Recorder r = awake(2, one_part(2));
  tag(r, 0, 1, 8);
  tag(r, 1, 8, 14);
  cr_assert_eq(r.finish(20, Scenario{}).safety_violations, 0);
}

Test(measure, overlap_across_a_cut_is_allowed) {
  Recorder r = awake(4, halves(10, 30));
  tag(r, 0, 12, 18);
  tag(r, 2, 13, 19);
  Figures f = r.finish(40, Scenario{});
  cr_assert_eq(f.safety_violations, 0);
  cr_assert_eq(f.heal_overlaps, 0);
}

Test(measure, tags_granted_apart_may_overlap_at_the_heal) {
  Recorder r = awake(4, halves(10, 30));
  tag(r, 0, 28, 33);
  tag(r, 2, 29, 31);
  Figures f = r.finish(40, Scenario{});
  cr_assert_eq(f.safety_violations, 0);
  cr_assert_eq(f.heal_overlaps, 1);
  cr_assert_float_eq(f.heal_overlap_max_s, 1.0, 1e-9);
}

Test(measure, a_tag_granted_after_the_heal_must_not_overlap) {
  Recorder r = awake(4, halves(10, 30));
  tag(r, 0, 28, 33);
  tag(r, 2, 31, 36);
  cr_assert_eq(r.finish(40, Scenario{}).safety_violations, 1);
}

Test(measure, a_tag_won_by_a_beacon_sent_before_the_heal_was_granted_apart) {
  Recorder r = awake(4, halves(10, 30));
  tag(r, 0, 28, 33);
  r.on_message(29.5, 2, asyncactor::MessageType::kPing);  // cannot cross
  tag(r, 2, 30.5, 36);
  Figures f = r.finish(40, Scenario{});
  cr_assert_eq(f.safety_violations, 0);
  cr_assert_eq(f.heal_overlaps, 1);
}

Test(measure, a_tag_won_by_a_beacon_sent_after_the_heal_must_not_overlap) {
  Recorder r = awake(4, halves(10, 30));
  tag(r, 0, 28, 33);
  r.on_message(30.1, 2, asyncactor::MessageType::kPing);
  tag(r, 2, 31.1, 36);
  cr_assert_eq(r.finish(40, Scenario{}).safety_violations, 1);
}

Test(measure, longest_gap_between_tags) {
  Recorder r = awake(2, one_part(2));
  tag(r, 0, 1, 7.5);
  tag(r, 1, 9, 15.5);
  tag(r, 0, 17.2, 23.7);
  Figures f = r.finish(24, Scenario{});
  cr_assert_float_eq(f.max_untagged.seconds, 1.7, 1e-9);
  cr_assert_float_eq(f.max_untagged.from, 15.5, 1e-9);
  cr_assert_eq(f.liveness_violations, 0);
  cr_assert_float_eq(f.liveness_bound_s, 2.5, 1e-9);
}

Test(measure, a_silent_end_counts_as_a_gap) {
  Recorder r = awake(2, one_part(2));
  tag(r, 0, 1, 7.5);
  Figures f = r.finish(20, Scenario{});
  cr_assert_float_eq(f.max_untagged.seconds, 12.5, 1e-9);
  cr_assert_eq(f.liveness_violations, 1);
}

Test(measure, the_side_without_the_holder_waits_for_its_tag_to_end) {
  Recorder r = awake(4, halves(10, 100));
  tag(r, 0, 9, 15.5);   // held across the cut by side {0, 1}
  tag(r, 2, 17, 23.5);  // side {2, 3}: 1.5 s after it ended
  tag(r, 1, 17.5, 24);
  Figures f = r.finish(24, Scenario{});
  cr_assert_float_eq(f.max_untagged.seconds, 2.0, 1e-9);
}

Test(measure, a_crashed_holder_covers_until_its_tag_would_end) {
  Recorder r = awake(2, one_part(2));
  r.on_event(1, 0, event(EventType::kTag));
  r.on_pause(2, 0, PieceEnd::kCrash);  // would have run to 1 + 6.5
  tag(r, 1, 9, 15.5);
  Figures f = r.finish(15.5, Scenario{});
  cr_assert_float_eq(f.max_untagged.seconds, 1.5, 1e-9);
}

Test(measure, a_suspended_holder_holds_nothing_while_asleep) {
  Recorder r = awake(2, one_part(2));
  r.on_event(1, 0, event(EventType::kTag));
  r.on_pause(2, 0, PieceEnd::kSuspend);
  tag(r, 1, 9, 15.5);
  r.on_wake(30, 0);  // engine still says tagged: counts again from here
  tag(r, 1, 31, 37);
  Figures f = r.finish(40, Scenario{});
  cr_assert_eq(f.safety_violations, 1);
  cr_assert_float_eq(f.first_violations.at(0).time, 31, 1e-9);
}

Test(measure, a_node_that_stops_while_pending_covers_its_tag) {
  Recorder r = awake(2, one_part(2));
  tag(r, 1, 1, 7.5);
  r.on_message(7.6, 0, asyncactor::MessageType::kPing);
  r.on_pause(8, 0, PieceEnd::kCrash);  // its tag: 8.6 to 14.1
  tag(r, 1, 15.2, 21.7);
  Figures f = r.finish(21.7, Scenario{});
  cr_assert_float_eq(f.max_untagged.seconds, 1.1, 1e-9);
  cr_assert_eq(f.safety_violations, 0);
}

Test(measure, a_ghost_never_counts_as_an_overlap) {
  Recorder r = awake(2, one_part(2));
  r.on_message(7.6, 0, asyncactor::MessageType::kPing);
  r.on_pause(8, 0, PieceEnd::kSuspend);
  tag(r, 1, 9, 15);
  cr_assert_eq(r.finish(20, Scenario{}).safety_violations, 0);
}

Test(measure, heal_time_and_recover_sides) {
  Recorder r = awake(4, halves(10, 30));
  Event rec = event(EventType::kRecover);
  r.on_event(31, 0, rec);
  r.on_event(31.2, 3, rec);
  tag(r, 2, 29, 31);   // granted apart: not the settled tag
  tag(r, 0, 34, 40);
  Figures f = r.finish(50, Scenario{});
  cr_assert_eq(f.heals.size(), 1);  // the cut's start is not a heal
  const auto& heal = f.heals[0];
  cr_assert_float_eq(heal.time, 30, 1e-9);
  cr_assert_float_eq(*heal.heal_s, 4.0, 1e-9);
  cr_assert_eq(heal.sides, 2);
  cr_assert_eq(heal.sides_recovered, 2);
}
