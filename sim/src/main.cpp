// asyncactor-sim: runs one simulated group and prints what it measured.
// See docs/simulator.md, or run with --help.
#include <cstdio>
#include <string>
#include <vector>

#include "asyncactor/sim/options.hpp"
#include "asyncactor/sim/simulator.hpp"

int main(int argc, char** argv) {
  using namespace asyncactor::sim;
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string err = parse_args(args, options);
  if (options.help) {
    std::fputs(usage(), stdout);
    return 0;
  }
  if (!err.empty()) {
    std::fprintf(stderr, "asyncactor-sim: %s\n", err.c_str());
    return 2;
  }
  Simulator sim(options.scenario);
  if (options.trace) sim.trace_to(stderr);
  Figures figures = sim.run();
  std::string out = options.json ? to_json(figures) + "\n" : to_text(figures);
  std::fputs(out.c_str(), stdout);
  return 0;
}
