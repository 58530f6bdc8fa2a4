// setup_test.cpp: which setups are valid (PROTOCOL section 3).
#include <criterion/criterion.h>

#include <cmath>

#include "asyncactor/setup.hpp"

using asyncactor::Setup;
using asyncactor::validate;

Test(setup, the_defaults_are_valid) {
  Setup s;
  cr_expect(!validate(s));
  cr_expect(s.cycle == 7 && s.gap == 1 && s.nodes == 5 && s.splits == 4);
  cr_expect(s.n_hosts == 10 && !s.force_in && s.version == 0);
}

Test(setup, the_smallest_valid_setup_is_accepted) {
  Setup s;
  s.cycle = 0.1;
  s.gap = 0.01;
  s.nodes = 1;
  s.splits = 2;
  s.n_hosts = 1;
  cr_expect(!validate(s));
}

Test(setup, each_broken_rule_is_refused_with_a_reason) {
  auto refused = [](void (*change)(Setup&)) {
    Setup s;
    change(s);
    auto err = validate(s);
    return err && !err->empty();
  };
  cr_expect(refused([](Setup& s) { s.cycle = 0.09; }));
  cr_expect(refused([](Setup& s) { s.gap = 0.009; }));
  cr_expect(refused([](Setup& s) { s.cycle = 2; s.gap = 0.7; }));
  cr_expect(refused([](Setup& s) { s.nodes = 0; }));
  cr_expect(refused([](Setup& s) { s.splits = 1; }));
  cr_expect(refused([](Setup& s) { s.n_hosts = 0; }));
  cr_expect(refused([](Setup& s) { s.version = -1; }));
  cr_expect(refused([](Setup& s) { s.cycle = NAN; }));
  cr_expect(refused([](Setup& s) { s.gap = INFINITY; }));
}

Test(setup, cycle_may_be_exactly_three_gaps_even_in_decimals) {
  Setup s;
  s.cycle = 3;
  s.gap = 1;
  cr_expect(!validate(s));
  s.cycle = 1.2;  // 3 * 0.4 is 1.2000000000000002 in binary
  s.gap = 0.4;
  cr_expect(!validate(s));
  s.cycle = 0.3;
  s.gap = 0.1;
  cr_expect(!validate(s));
}
