// sim_check.cpp: helpers for the simulator property tests.
#include "sim_check.hpp"

#include <criterion/criterion.h>

namespace aatest {

using asyncactor::sim::DelayKind;
using asyncactor::sim::Figures;
using asyncactor::sim::Scenario;

Scenario small_group(std::size_t nodes, std::uint64_t seed, double cycles) {
  Scenario s;
  s.seed = seed;
  s.node_count = nodes;
  s.cycles = cycles;
  s.delay.kind = DelayKind::kUniform;
  s.delay.max = 0.2 * s.setup.gap;
  return s;
}

Figures run_or_fail(const Scenario& s) {
  Figures f;
  std::string err = asyncactor::sim::run_scenario(s, f);
  cr_assert(err.empty(), "scenario cannot run: %s\n%s", err.c_str(),
            asyncactor::sim::scenario_json(s).c_str());
  return f;
}

std::string repro(const Scenario& s, const Figures& f) {
  return "seed " + std::to_string(s.seed) + " (" + s.label + ")\n" +
         asyncactor::sim::to_text(f) +
         "scenario: " + asyncactor::sim::scenario_json(s);
}

asyncactor::sim::Action act(double at, asyncactor::sim::ActionKind kind,
                            std::vector<std::size_t> nodes) {
  asyncactor::sim::Action a;
  a.at = at;
  a.kind = kind;
  a.nodes = std::move(nodes);
  return a;
}

double cycles_to_s(const Scenario& s, double cycles) {
  return cycles * asyncactor::sim::cycle_length(s);
}

}  // namespace aatest
