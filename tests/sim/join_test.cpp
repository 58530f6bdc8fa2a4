// join_test.cpp: nodes starting into a running group take part without
// taking the tag away (no detag) and without a recovery (PROTOCOL 8).
#include <criterion/criterion.h>

#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::kSeeds;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

Scenario joins(std::uint64_t seed, std::size_t initial, std::size_t total,
               double stagger) {
  Scenario s = small_group(total, seed, 60);
  s.start.initial = initial;
  s.start.join_at = aatest::cycles_to_s(s, 5) + double(seed % 10) * 0.13;
  s.start.stagger = stagger;
  return s;
}

void expect_quiet_joins(const Scenario& s) {
  Figures f = run_or_fail(s);
  std::string why = repro(s, f);
  cr_expect_eq(f.join_detags, 0, "a join caused a detag: %s", why.c_str());
  cr_expect_eq(f.join_recovers_per_node, 0, "a join caused a recover: %s",
               why.c_str());
  cr_expect_eq(f.recovers, 0, "recover events: %s", why.c_str());
  cr_expect_eq(f.safety_violations, 0, "two tags at once: %s", why.c_str());
}

}  // namespace

Test(join, one_by_one_into_a_small_group) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = joins(seed, 3, 15, 2.3);
    s.label = "12 joins, 2.3 s apart";
    expect_quiet_joins(s);
  }
}

Test(join, into_a_lone_node) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = joins(seed, 1, 6, 5.1);
    s.label = "5 joins into one node";
    expect_quiet_joins(s);
  }
}

Test(join, quickly_with_slow_links) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = joins(seed, 4, 24, 0.35);
    s.label = "20 joins, 0.35 s apart, delays to 0.45 gap";
    s.delay.max = 0.45 * s.setup.gap;
    expect_quiet_joins(s);
  }
}

Test(join, costs_its_two_start_messages) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = joins(seed, 5, 25, 3.1);
    s.label = "join cost";
    // Ordinary delays (PROTOCOL 5.3): below an eighth of a gap the chain's
    // last entry and its stand-in never collide, so every message beyond
    // a joiner's init and vers would be the join's fault. With longer
    // delays such collisions happen whether or not anyone joins.
    s.delay.max = 0.125 * s.setup.gap;
    Figures f = run_or_fail(s);
    cr_expect_leq(f.join_messages_per_node, 2.0, "%s", repro(s, f).c_str());
  }
}
