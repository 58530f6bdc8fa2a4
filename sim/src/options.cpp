// options.cpp: command-line flags onto a Scenario.
#include "asyncactor/sim/options.hpp"

#include <cstdlib>
#include <functional>
#include <map>

namespace asyncactor::sim {
namespace {

bool to_number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

bool to_count(const std::string& text, std::size_t& out) {
  double d = 0;
  if (!to_number(text, d) || d < 0 || d != static_cast<std::size_t>(d)) {
    return false;
  }
  out = static_cast<std::size_t>(d);
  return true;
}

// split_flag() applies --split A:B, two halves cut apart from cycle A to B.
bool split_flag(const std::string& text, Scenario& s) {
  auto colon = text.find(':');
  double a = 0, b = 0;
  if (colon == std::string::npos || !to_number(text.substr(0, colon), a) ||
      !to_number(text.substr(colon + 1), b)) {
    return false;
  }
  Partition p{a * cycle_length(s), b * cycle_length(s), {{}, {}}};
  for (std::size_t n = 0; n < s.node_count; ++n) {
    p.groups[n < (s.node_count + 1) / 2 ? 0 : 1].push_back(n);
  }
  s.partitions.push_back(std::move(p));
  return true;
}

bool delay_dist(const std::string& text, Scenario& s) {
  if (text == "fixed") s.delay.kind = DelayKind::kFixed;
  else if (text == "uniform") s.delay.kind = DelayKind::kUniform;
  else if (text == "tail") s.delay.kind = DelayKind::kTail;
  else return false;
  return true;
}

using Setter = std::function<bool(const std::string&, Options&)>;
using Late = std::function<bool(Scenario&)>;

// Flags that depend on the cycle, the gap or the group size are applied
// after every other flag, in the order given.
std::vector<Late>* late_flags = nullptr;

Setter late_number(std::function<void(double, Scenario&)> set) {
  return [set](const std::string& v, Options&) {
    double d = 0;
    if (!to_number(v, d)) return false;
    late_flags->push_back([set, d](Scenario& s) {
      set(d, s);
      return true;
    });
    return true;
  };
}

// number_flag() makes a setter for a flag that takes one number.
Setter number_flag(std::function<void(double, Options&)> set) {
  return [set](const std::string& v, Options& o) {
    double d = 0;
    if (!to_number(v, d)) return false;
    set(d, o);
    return true;
  };
}

const std::map<std::string, Setter>& flags() {
  static const std::map<std::string, Setter> table = {
      {"--nodes",
       [](const std::string& v, Options& o) {
         return to_count(v, o.scenario.node_count);
       }},
      {"--seed",
       [](const std::string& v, Options& o) {
         std::size_t seed = 0;
         if (!to_count(v, seed)) return false;
         o.scenario.seed = seed;
         return true;
       }},
      {"--cycles", number_flag([](double d, Options& o) {
         o.scenario.cycles = d;
       })},
      {"--cycle", number_flag([](double d, Options& o) {
         o.scenario.setup.cycle = d;
       })},
      {"--gap", number_flag([](double d, Options& o) {
         o.scenario.setup.gap = d;
       })},
      {"--chain", number_flag([](double d, Options& o) {
         o.scenario.setup.nodes = static_cast<int>(d);
       })},
      {"--splits", number_flag([](double d, Options& o) {
         o.scenario.setup.splits = static_cast<int>(d);
       })},
      {"--n-hosts", number_flag([](double d, Options& o) {
         o.scenario.setup.n_hosts = static_cast<int>(d);
         o.scenario.n_hosts_auto = false;
       })},
      {"--delay-max", late_number([](double d, Scenario& s) {
         s.delay.max = d * s.setup.gap;
       })},
      {"--delay-min", late_number([](double d, Scenario& s) {
         s.delay.min = d * s.setup.gap;
       })},
      {"--delay-dist",
       [](const std::string& v, Options& o) {
         return delay_dist(v, o.scenario);
       }},
      {"--slack", number_flag([](double d, Options& o) {
         o.scenario.slack = d;
       })},
      {"--stagger", number_flag([](double d, Options& o) {
         o.scenario.start.stagger = d;
       })},
      {"--initial",
       [](const std::string& v, Options& o) {
         return to_count(v, o.scenario.start.initial);
       }},
      {"--join-at", late_number([](double d, Scenario& s) {
         s.start.join_at = d * cycle_length(s);
       })},
      {"--warmup", number_flag([](double d, Options& o) {
         o.scenario.warmup_cycles = d;
       })},
      {"--split",
       [](const std::string& v, Options&) {
         late_flags->push_back([v](Scenario& s) { return split_flag(v, s); });
         return true;
       }},
      {"--scenario", [](const std::string&, Options&) { return true; }},
  };
  return table;
}

std::string apply_flags(const std::vector<std::string>& args,
                        Options& options);

}  // namespace

std::string parse_args(const std::vector<std::string>& args,
                       Options& options) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] != "--scenario") continue;
    std::string err = load_scenario_file(args[i + 1], options.scenario);
    if (!err.empty()) return err;
  }
  std::vector<Late> late;
  late_flags = &late;
  std::string err = apply_flags(args, options);
  late_flags = nullptr;
  if (!err.empty()) return err;
  for (auto& apply : late) {
    if (!apply(options.scenario)) return "bad --split (want A:B)";
  }
  return check_scenario(options.scenario);
}

namespace {

std::string apply_flags(const std::vector<std::string>& args,
                        Options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--json") {
      options.json = true;
      continue;
    }
    if (flag == "--trace") {
      options.trace = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      continue;
    }
    auto it = flags().find(flag);
    if (it == flags().end()) return "unknown option " + flag;
    if (i + 1 >= args.size()) return flag + " needs a value";
    if (!it->second(args[++i], options)) {
      return "bad value for " + flag + ": " + args[i];
    }
  }
  return "";
}

}  // namespace

const char* usage() {
  return R"(usage: asyncactor-sim [options]
Simulates a group of beacon-protocol engines on a virtual clock.

  --scenario FILE     read a JSON scenario first (docs/simulator.md)
  --nodes N           group size (10)
  --cycles K          run length in cycles of cycle+gap seconds (100)
  --seed S            random seed (1)
  --cycle C, --gap G  setup cycle and gap, seconds (7, 1)
  --chain N           setup nodes: chain length (5)
  --splits N          setup splits (4)
  --n-hosts N         setup n_hosts (default: the group size)
  --delay-dist D      fixed | uniform | tail (uniform)
  --delay-max F       largest delay, as a fraction of gap (0)
  --delay-min F       smallest delay, fraction of gap (0)
  --slack T           timers fire only on ticks T seconds apart (0: exact)
  --stagger T         seconds between node starts (0)
  --initial K         start K nodes at once first, the rest join later
  --join-at A         joins start at cycle A (with --initial)
  --split A:B         cut the group in two halves from cycle A to cycle B
  --warmup K          steady-state figures skip K cycles after starts (5)
  --json              print the figures as one JSON object
  --trace             every message and engine event to stderr (slow)
)";
}

}  // namespace asyncactor::sim
