// scenario.hpp: what one simulation run does, and how to read it from JSON.
//
// A Scenario is plain data: the group, the network, and a timeline of
// partitions and node actions. Times are seconds of virtual time.
//
//   Scenario s;                    // 10 nodes, 100 cycles, default setup
//   s.node_count = 50;
//   s.partitions.push_back({cycles(s, 20), cycles(s, 30), {{0, 1}, {2}}});
//   std::string err = load_scenario(json_text, s);   // or from a file
//
// The JSON format is described in docs/simulator.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "asyncactor/setup.hpp"
#include "asyncactor/sim/random.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor::sim {

// NodeSpec overrides the defaults for one node, chosen by its index.
struct NodeSpec {
  std::size_t index = 0;
  std::optional<std::string> name;   // default "n" + zero-padded index
  std::optional<Value> value;        // default Scenario::value
  std::optional<bool> enabled;
  std::optional<double> start;       // seconds; default from StartPlan
  std::optional<double> slack;       // timer tick, seconds
  std::optional<Setup> setup;        // default Scenario::setup
};

// StartPlan says when nodes start: the first `initial` together at `at`,
// the others one every `stagger` seconds from `join_at`. With initial = 0
// node i starts at `at + i * stagger`.
struct StartPlan {
  double at = 0;
  std::size_t initial = 0;
  double join_at = 0;
  double stagger = 0;
};

// Partition cuts the network from `from` to `to` into `groups` of node
// indices. Nodes listed in no group form one more group together.
// Reachability is decided when a message is sent.
struct Partition {
  double from = 0;
  double to = 0;
  std::vector<std::vector<std::size_t>> groups;
};

enum class ActionKind { kCrash, kRestart, kSuspend, kResume, kSetValue };

// Action happens to some nodes at one moment.
struct Action {
  double at = 0;
  ActionKind kind = ActionKind::kCrash;
  std::vector<std::size_t> nodes;
  Value value;  // kSetValue only
};

struct Scenario {
  std::string label;        // free text, echoed in the output
  std::uint64_t seed = 1;
  std::size_t node_count = 10;
  double cycles = 100;      // run length in cycles of setup.cycle + gap
  Setup setup;              // every node's setup unless overridden
  bool n_hosts_auto = true; // setup.n_hosts = node_count
  Value value = Value::number(1);
  double slack = 0;         // timer tick of every node, seconds; 0: exact
  DelayModel delay;         // seconds
  StartPlan start;
  std::vector<NodeSpec> nodes;
  std::vector<Partition> partitions;
  std::vector<Action> actions;
  double warmup_cycles = 5; // steady-state figures skip this much after the
                            // last scheduled start
};

// cycle_length() is one simulated cycle: setup.cycle + setup.gap seconds.
[[nodiscard]] double cycle_length(const Scenario& scenario);

// duration() is the run length in seconds.
[[nodiscard]] double duration(const Scenario& scenario);

// load_scenario() reads a JSON scenario over `scenario`, keeping what the
// text does not mention. It returns "" on success, else a one-line error.
// Times may be numbers (seconds) or strings like "12c" (cycles).
[[nodiscard]] std::string load_scenario(const std::string& json,
                                        Scenario& scenario);

// load_scenario_file() is load_scenario() on the contents of `path`.
[[nodiscard]] std::string load_scenario_file(const std::string& path,
                                             Scenario& scenario);

// scenario_json() writes `scenario` in the format load_scenario() reads, so
// that a failing run can be saved and replayed with --scenario.
[[nodiscard]] std::string scenario_json(const Scenario& scenario);

// check_scenario() returns "" when the scenario can run, else why not
// (bad node index, invalid setup, negative delay, ...).
[[nodiscard]] std::string check_scenario(const Scenario& scenario);

// node_name() is the default name of node `index`: "n00042".
[[nodiscard]] std::string node_name(std::size_t index);

}  // namespace asyncactor::sim
