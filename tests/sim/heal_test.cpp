// heal_test.cpp: after a split heals, one tag again within two cycles and a
// recover event on both sides (PROTOCOL sections 6 and 7).
#include <criterion/criterion.h>

#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::kSeeds;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

void expect_heals(const Scenario& s, std::size_t heals) {
  Figures f = run_or_fail(s);
  std::string why = repro(s, f);
  double limit = aatest::cycles_to_s(s, 2);
  cr_expect_eq(f.safety_violations, 0, "two tags at once: %s", why.c_str());
  cr_expect_eq(f.heals.size(), heals, "heals: %s", why.c_str());
  for (const auto& h : f.heals) {
    cr_expect(h.heal_s.has_value(), "heal at %.3f never settled: %s", h.time,
              why.c_str());
    cr_expect_leq(h.heal_s.value_or(1e9), limit,
                  "heal at %.3f took %.3f s: %s", h.time,
                  h.heal_s.value_or(-1), why.c_str());
    cr_expect_eq(h.sides_recovered, h.sides,
                 "heal at %.3f: recover on %d of %d sides: %s", h.time,
                 h.sides_recovered, h.sides, why.c_str());
  }
}

// cut() splits `s` from cycle `a` to cycle `b` into `groups`.
void cut(Scenario& s, double a, double b,
         std::vector<std::vector<std::size_t>> groups) {
  s.partitions.push_back(
      {aatest::cycles_to_s(s, a), aatest::cycles_to_s(s, b), groups});
}

}  // namespace

Test(heal, two_halves) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(10, seed, 50);
    s.label = "halves";
    cut(s, 10 + double(seed % 5) * 0.37, 25 + double(seed % 3) * 0.41,
        {{0, 1, 2, 3, 4}});
    expect_heals(s, 1);
  }
}

Test(heal, one_node_cut_off) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(6, seed, 50);
    s.label = "one alone";
    cut(s, 10.3, 20.6, {{seed % 6}});
    expect_heals(s, 1);
  }
}

Test(heal, three_parts) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(12, seed, 50);
    s.label = "three parts";
    cut(s, 10.1, 22.7, {{0, 3, 6, 9}, {1, 4, 7, 10}});
    expect_heals(s, 1);
  }
}

Test(heal, repeated_splits_with_slow_links) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(9, seed, 80);
    s.label = "repeated, tail delays";
    s.delay.kind = DelayKind::kTail;
    s.delay.max = 0.45 * s.setup.gap;
    cut(s, 10, 20, {{0, 1, 2, 3}});
    cut(s, 35, 45.5, {{5, 6, 7}, {8}});
    expect_heals(s, 2);
  }
}
