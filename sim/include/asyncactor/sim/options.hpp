// options.hpp: the asyncactor-sim command line.
//
//   Options opt;
//   std::string err = parse_args(argc, argv, opt);
//   if (!err.empty()) { print(err); return 2; }
//
// --scenario FILE is read first; every other flag then overrides it.
#pragma once

#include <string>
#include <vector>

#include "asyncactor/sim/scenario.hpp"

namespace asyncactor::sim {

struct Options {
  Scenario scenario;
  bool json = false;  // print figures as JSON instead of a summary
  bool help = false;
  bool trace = false; // trace messages and events to stderr
};

// parse_args() fills `options` from the command line (argv[0] skipped).
// It returns "" on success, else a one-line error for the user.
[[nodiscard]] std::string parse_args(const std::vector<std::string>& args,
                                     Options& options);

// usage() is the --help text.
[[nodiscard]] const char* usage();

}  // namespace asyncactor::sim
