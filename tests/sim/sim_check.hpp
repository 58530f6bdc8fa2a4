// sim_check.hpp: helpers for the simulator property tests.
//
//   Scenario s = small_group(12, seed);
//   Figures f = run_or_fail(s);
//   cr_expect(f.safety_violations == 0, "%s", repro(s, f).c_str());
#pragma once

#include <cstdint>
#include <string>

#include "asyncactor/sim/figures.hpp"
#include "asyncactor/sim/scenario.hpp"
#include "asyncactor/sim/simulator.hpp"

namespace aatest {

// kSeeds is how many seeds each property tries per scenario.
inline constexpr std::uint64_t kSeeds = 20;

// small_group() is `nodes` nodes started together with the default setup,
// uniform delays up to a fifth of the gap, running `cycles` cycles.
asyncactor::sim::Scenario small_group(std::size_t nodes, std::uint64_t seed,
                                      double cycles = 60);

// run_or_fail() checks and runs `s`, failing the test if it cannot run.
asyncactor::sim::Figures run_or_fail(const asyncactor::sim::Scenario& s);

// repro() is the text a failing assertion prints: the seed, a few figures
// and the scenario JSON, which asyncactor-sim --scenario replays.
std::string repro(const asyncactor::sim::Scenario& s,
                  const asyncactor::sim::Figures& f);

// act() is an Action without a value.
asyncactor::sim::Action act(double at, asyncactor::sim::ActionKind kind,
                            std::vector<std::size_t> nodes);

// cycles_to_s() converts cycles of `s` into seconds.
double cycles_to_s(const asyncactor::sim::Scenario& s, double cycles);

}  // namespace aatest
