// safety_test.cpp: PROTOCOL section 7's safety and liveness, over many seeds
// and network conditions with delays below gap/2: never two tags at once in
// a connected part, and never more than 2.5 * gap + L without a tag.
#include <criterion/criterion.h>

#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::kSeeds;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

// expect_safe_and_live() checks one run and says which seed and scenario
// failed.
void expect_safe_and_live(const Scenario& s) {
  Figures f = run_or_fail(s);
  std::string why = repro(s, f);
  cr_expect_eq(f.safety_violations, 0, "two tags at once: %s", why.c_str());
  cr_expect_eq(f.liveness_violations, 0, "gap above bound: %s", why.c_str());
  cr_expect_gt(f.tags, s.cycles / 2, "too few tags: %s", why.c_str());
  std::uint64_t dropped = 0;
  for (auto d : f.drops) dropped += d;
  cr_expect_eq(dropped, 0, "engine dropped payloads: %s", why.c_str());
  cr_expect_eq(f.timer_stalls, 0, "timer stalls: %s", why.c_str());
}

void sweep(const char* label, Scenario (*make)(std::uint64_t seed)) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = make(seed);
    s.label = label;
    expect_safe_and_live(s);
  }
}

}  // namespace

Test(safety, uniform_delays_up_to_almost_half_the_gap) {
  sweep("uniform 0.45 gap", [](std::uint64_t seed) {
    Scenario s = small_group(2 + seed % 4 * 6, seed);
    s.delay.max = 0.45 * s.setup.gap;
    return s;
  });
}

Test(safety, long_tailed_delays) {
  sweep("tail capped 0.45 gap", [](std::uint64_t seed) {
    Scenario s = small_group(12, seed);
    s.delay.kind = DelayKind::kTail;
    s.delay.max = 0.45 * s.setup.gap;
    s.delay.shape = 1.2;
    return s;
  });
}

Test(safety, fixed_delays) {
  sweep("fixed 0.3 gap", [](std::uint64_t seed) {
    Scenario s = small_group(10, seed);
    s.delay.kind = DelayKind::kFixed;
    s.delay.max = 0.3 * s.setup.gap;
    return s;
  });
}

Test(safety, no_delay_at_all) {
  sweep("zero delay", [](std::uint64_t seed) {
    Scenario s = small_group(10, seed);
    s.delay.kind = DelayKind::kFixed;
    s.delay.max = 0;
    return s;
  });
}

Test(safety, timers_on_a_coarse_tick) {
  sweep("slack 0.1 s", [](std::uint64_t seed) {
    Scenario s = small_group(10, seed);
    s.slack = 0.1;
    s.delay.max = 0.3 * s.setup.gap;
    return s;
  });
}

Test(safety, short_cycle) {
  sweep("cycle 2 gap 0.4", [](std::uint64_t seed) {
    Scenario s = small_group(10, seed);
    s.setup.cycle = 2;
    s.setup.gap = 0.4;
    s.delay.max = 0.4 * s.setup.gap;
    return s;
  });
}

Test(safety, staggered_starts) {
  sweep("stagger 0.7 s", [](std::uint64_t seed) {
    Scenario s = small_group(20, seed);
    s.start.stagger = 0.7;
    return s;
  });
}

Test(safety, holders_and_chain_members_crash_and_restart) {
  sweep("crash/restart", [](std::uint64_t seed) {
    Scenario s = small_group(8, seed, 80);
    for (std::size_t k = 0; k < 6; ++k) {
      double at = aatest::cycles_to_s(s, 10 + 10 * double(k)) + seed % 7;
      std::size_t n = (seed + k) % s.node_count;
      s.actions.push_back(aatest::act(at, ActionKind::kCrash, {n}));
      s.actions.push_back(
          aatest::act(at + 20, ActionKind::kRestart, {n}));
    }
    return s;
  });
}

Test(safety, a_node_sleeps_and_wakes) {
  sweep("suspend/resume", [](std::uint64_t seed) {
    Scenario s = small_group(6, seed, 60);
    for (std::size_t k = 0; k < 4; ++k) {
      double at = aatest::cycles_to_s(s, 10 + 12 * double(k)) + seed % 5;
      std::size_t n = (seed * 3 + k) % s.node_count;
      s.actions.push_back(aatest::act(at, ActionKind::kSuspend, {n}));
      s.actions.push_back(aatest::act(at + 15 + double(seed % 3) * 10,
                                      ActionKind::kResume, {n}));
    }
    return s;
  });
}

Test(safety, some_nodes_not_ready_or_passive) {
  sweep("null values, disabled", [](std::uint64_t seed) {
    Scenario s = small_group(9, seed);
    s.nodes.push_back({0, std::nullopt, asyncactor::Value(), std::nullopt,
                       std::nullopt, std::nullopt, std::nullopt});
    s.nodes.push_back({1, std::nullopt, std::nullopt, false, std::nullopt,
                       std::nullopt, std::nullopt});
    s.nodes.push_back({2, std::nullopt, asyncactor::Value::string("b"),
                       std::nullopt, std::nullopt, std::nullopt,
                       std::nullopt});
    return s;
  });
}
