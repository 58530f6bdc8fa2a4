// model_test.cpp: the simulator itself: determinism, scenario files, flags,
// and the network and node models, seen through real engines.
#include <criterion/criterion.h>

#include "asyncactor/sim/options.hpp"
#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

// same_run() compares everything but the wall time.
std::string without_wall(Figures f) {
  f.wall_s = 0;
  return to_json(f);
}

}  // namespace

Test(model, a_seed_gives_the_same_run) {
  Scenario s = small_group(15, 7, 40);
  s.partitions.push_back({aatest::cycles_to_s(s, 10),
                          aatest::cycles_to_s(s, 20), {{0, 1, 2, 3}}});
  std::string first = without_wall(run_or_fail(s));
  std::string second = without_wall(run_or_fail(s));
  cr_assert(first == second, "%s\n%s", first.c_str(), second.c_str());
}

Test(model, another_seed_gives_another_run) {
  Scenario a = small_group(15, 7, 40);
  Scenario b = small_group(15, 8, 40);
  cr_assert(without_wall(run_or_fail(a)) != without_wall(run_or_fail(b)));
}

Test(model, scenario_json_round_trips) {
  Scenario s = small_group(6, 3);
  s.label = "round trip";
  s.delay.kind = DelayKind::kTail;
  s.nodes.push_back({5, "n00000", asyncactor::Value::string("x"), false,
                     12.5, 0.1, std::nullopt});
  s.partitions.push_back({10, 20, {{0, 1}, {2}}});
  s.actions.push_back(aatest::act(30, ActionKind::kSuspend, {1, 2}));
  std::string text = scenario_json(s);
  Scenario back;
  cr_assert(load_scenario(text, back).empty());
  std::string again = scenario_json(back);
  cr_assert(again == text, "%s\n%s", again.c_str(), text.c_str());
}

Test(model, scenario_times_may_be_cycles) {
  Scenario s;
  std::string err = load_scenario(
      R"({"setup":{"cycle":3,"gap":1},"nodes":4,
          "partitions":[{"from":"2c","to":"3.5c","groups":[[0]]}]})",
      s);
  cr_assert(err.empty(), "%s", err.c_str());
  cr_assert_float_eq(s.partitions.at(0).from, 8, 1e-9);
  cr_assert_float_eq(s.partitions.at(0).to, 14, 1e-9);
}

Test(model, bad_scenarios_are_refused) {
  Scenario s;
  cr_assert(!load_scenario("{\"nodes\": -1}", s).empty());
  Scenario t;
  cr_assert(load_scenario(R"({"actions":[{"at":1,"do":"crash",
                              "nodes":[99]}]})", t).empty());
  cr_assert(!check_scenario(t).empty());
}

Test(model, flags_apply_after_the_setup_they_depend_on) {
  Options o;
  std::vector<std::string> args = {"--delay-max", "0.25", "--split", "2:4",
                                   "--nodes", "6", "--gap", "2",
                                   "--cycle", "8"};
  std::string err = parse_args(args, o);
  cr_assert(err.empty(), "%s", err.c_str());
  cr_assert_float_eq(o.scenario.delay.max, 0.5, 1e-9);
  const Partition& p = o.scenario.partitions.at(0);
  cr_assert_float_eq(p.from, 20, 1e-9);
  cr_assert_float_eq(p.to, 40, 1e-9);
  cr_assert_eq(p.groups.at(0).size(), 3);
  cr_assert_eq(p.groups.at(1).size(), 3);
}

Test(model, unknown_flags_are_refused) {
  Options o;
  cr_assert(!parse_args({"--frobnicate", "1"}, o).empty());
}

Test(model, the_group_rotates_the_tag) {
  Scenario s = small_group(8, 1, 50);
  Figures f = run_or_fail(s);
  cr_expect_gt(f.tags, 40, "%s", repro(s, f).c_str());
  cr_expect_eq(f.beacons[0], 8);  // one init per node
  cr_expect_eq(f.beacons[1], 8);  // one vers per node
  cr_expect_eq(f.timer_stalls, 0, "%s", repro(s, f).c_str());
}

Test(model, a_cut_stops_messages_between_the_parts) {
  Scenario s = small_group(4, 2, 20);
  s.partitions.push_back({0, 1e9, {{0}, {1}, {2}, {3}}});
  Figures f = run_or_fail(s);
  cr_expect_eq(f.deliveries, 0, "%s", repro(s, f).c_str());
}

Test(model, messages_to_a_crashed_node_are_lost) {
  Scenario s = small_group(3, 2, 20);
  s.actions.push_back(
      aatest::act(aatest::cycles_to_s(s, 5), ActionKind::kCrash, {2}));
  Simulator sim(s);
  sim.run_until(aatest::cycles_to_s(s, 4));
  cr_assert_not_null(sim.engine(2));
  sim.run_until(aatest::cycles_to_s(s, 6));
  cr_assert_null(sim.engine(2));
  cr_assert_not_null(sim.engine(1));
}

Test(model, a_restarted_node_takes_part_again) {
  Scenario s = small_group(3, 4, 40);
  s.actions.push_back(
      aatest::act(aatest::cycles_to_s(s, 5), ActionKind::kCrash, {0}));
  s.actions.push_back(
      aatest::act(aatest::cycles_to_s(s, 8), ActionKind::kRestart, {0}));
  Simulator sim(s);
  sim.run_until(aatest::cycles_to_s(s, 40));
  cr_assert_not_null(sim.engine(0));
  cr_expect_gt(sim.engine(0)->history().size(), 0);
  Figures f = sim.finish();
  cr_expect_eq(f.beacons[0], 4, "%s", repro(s, f).c_str());
}

Test(model, a_suspended_node_gets_its_messages_on_resume) {
  Scenario s = small_group(3, 5, 30);
  double at = aatest::cycles_to_s(s, 10);
  s.actions.push_back(aatest::act(at, ActionKind::kSuspend, {2}));
  s.actions.push_back(aatest::act(at + 30, ActionKind::kResume, {2}));
  Simulator sim(s);
  sim.run_until(at + 29);
  auto before = sim.engine(2)->counters().received;
  sim.run_until(at + 30);
  cr_expect_gt(sim.engine(2)->counters().received, before);
}
