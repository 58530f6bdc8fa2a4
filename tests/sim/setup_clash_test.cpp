// setup_clash_test.cpp: a higher setup version reaches every node, and a
// node using another's name is reported within one cycle (PROTOCOL 8).
#include <criterion/criterion.h>

#include "sim_check.hpp"

using namespace asyncactor::sim;
using aatest::kSeeds;
using aatest::repro;
using aatest::run_or_fail;
using aatest::small_group;

namespace {

NodeSpec with_setup(std::size_t index, asyncactor::Setup setup,
                    std::optional<double> start) {
  NodeSpec spec;
  spec.index = index;
  spec.setup = setup;
  spec.start = start;
  return spec;
}

void expect_one_version(const Scenario& s, std::int64_t version) {
  Figures f = run_or_fail(s);
  std::string why = repro(s, f);
  cr_expect_eq(f.setup_versions.size(), 1, "versions differ: %s",
               why.c_str());
  cr_expect_eq(f.setup_versions.count(version), 1, "not version %lld: %s",
               static_cast<long long>(version), why.c_str());
}

}  // namespace

Test(setup, a_newer_setup_from_a_joiner_reaches_everyone) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(10, seed, 40);
    s.label = "joiner with version 3";
    asyncactor::Setup newer = s.setup;
    newer.version = 3;
    newer.cycle = 5;
    s.nodes.push_back(with_setup(9, newer, aatest::cycles_to_s(s, 10)));
    expect_one_version(s, 3);
  }
}

Test(setup, an_older_setup_from_a_joiner_is_corrected) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(8, seed, 40);
    s.label = "group at version 2, joiner at 1";
    s.setup.version = 2;
    asyncactor::Setup older = s.setup;
    older.version = 1;
    older.cycle = 9;
    s.nodes.push_back(with_setup(7, older, aatest::cycles_to_s(s, 10)));
    expect_one_version(s, 2);
  }
}

Test(clash, a_duplicate_name_is_reported_within_a_cycle) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Scenario s = small_group(6, seed, 30);
    s.label = "node 5 named like node 2";
    NodeSpec dup;
    dup.index = 5;
    dup.name = asyncactor::sim::node_name(2);
    dup.start = aatest::cycles_to_s(s, 8) + double(seed) * 0.21;
    s.nodes.push_back(dup);
    Figures f = run_or_fail(s);
    std::string why = repro(s, f);
    cr_expect(f.first_clash_s.has_value(), "no clash report: %s",
              why.c_str());
    cr_expect_leq(f.first_clash_s.value_or(1e9), s.setup.cycle,
                  "clash reported after %.3f s: %s",
                  f.first_clash_s.value_or(-1), why.c_str());
  }
}
