// economy_test.cpp: about one beacon per tag in steady state, whatever the
// group's size (PROTOCOL section 7).
#include <criterion/criterion.h>

#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

// mean_steady() is the steady-state beacons per tag over `seeds` runs.
double mean_steady(std::size_t nodes, double delay_gap, int seeds) {
  double sum = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    Scenario s = small_group(nodes, std::uint64_t(seed), 150);
    s.label = "economy";
    s.delay.max = delay_gap * s.setup.gap;
    Figures f = run_or_fail(s);
    cr_assert(f.steady_beacons_per_tag.has_value(), "%s",
              repro(s, f).c_str());
    cr_expect_leq(*f.steady_beacons_per_tag, 1.1, "%s", repro(s, f).c_str());
    sum += *f.steady_beacons_per_tag;
  }
  return sum / seeds;
}

}  // namespace

Test(economy, near_one_beacon_per_tag_in_small_groups) {
  double mean = mean_steady(10, 0.1, 10);
  cr_expect_leq(mean, 1.02, "10 nodes: %.4f beacons per tag", mean);
}

Test(economy, near_one_beacon_per_tag_in_larger_groups) {
  double mean = mean_steady(200, 0.1, 4);
  cr_expect_leq(mean, 1.02, "200 nodes: %.4f beacons per tag", mean);
}
