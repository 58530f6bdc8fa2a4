// figures.hpp: what a simulation run measured, and how it is printed.
//
//   Figures f = Simulator(scenario).run();
//   if (f.safety_violations > 0) { ... f.first_violations[0].time ... }
//   std::string json = to_json(f);       // one JSON object
//   std::string text = to_text(f);       // a readable summary
//
// docs/simulator.md explains each figure. Times are seconds of virtual time
// unless a name says otherwise.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "asyncactor/message.hpp"

namespace asyncactor::sim {

// Violation is a moment at which two nodes of one connected part both held
// the tag, outside the overlap allowed right at a heal.
struct Violation {
  double time = 0;
  std::vector<std::string> nodes;
};

// HealFigure describes one heal: parts that had been cut apart joining.
struct HealFigure {
  double time = 0;              // when the network healed
  std::optional<double> heal_s; // to the first settled single tag, if any
  int sides = 0;                // former parts that joined
  int sides_recovered = 0;      // of those, how many reported kRecover
};

// ClashFigure is one kClash event.
struct ClashFigure {
  double time = 0;
  std::size_t node = 0;  // index of the reporting node
  std::string name;
  bool must_yield = false;
};

// GapFigure is the longest time a connected part went without a tag.
struct GapFigure {
  double seconds = 0;
  double from = 0;  // when the previous tag ended
};

struct Figures {
  // The run.
  std::string label;
  std::uint64_t seed = 0;
  std::size_t nodes = 0;
  double cycles = 0;
  double sim_s = 0;          // virtual seconds simulated
  double wall_s = 0;         // real seconds the run took
  std::uint64_t deliveries = 0;      // messages handed to engines
  std::uint64_t lost = 0;            // dropped by crashes before delivery

  // Messages sent, by MessageType (init, vers, ping, hist).
  std::array<std::uint64_t, 4> beacons{};

  // Engine events, summed over all nodes.
  std::uint64_t tags = 0, untags = 0, detags = 0, recovers = 0;
  std::uint64_t setups = 0, isolated = 0, connected = 0, good_nodes = 0;

  // Economy: (ping + hist) per kTag, over the run and in steady state
  // (from steady_from on, when every scheduled start is warmup_cycles old).
  double beacons_per_tag = 0;
  std::optional<double> steady_beacons_per_tag;
  double steady_from = 0;
  std::uint64_t steady_tags = 0;

  // Liveness: the longest untagged time in a connected part, the bound it
  // is held to (2.5 * gap + max delay + 3 * slack), and gaps above it.
  GapFigure max_untagged;
  double liveness_bound_s = 0;
  std::uint64_t liveness_violations = 0;
  std::optional<double> first_tag_s;  // from the first start to a tag

  // Safety.
  std::uint64_t safety_violations = 0;
  std::vector<Violation> first_violations;  // at most 10
  std::uint64_t heal_overlaps = 0;          // allowed overlaps at a heal
  double heal_overlap_max_s = 0;

  // Heals.
  std::vector<HealFigure> heals;

  // Joins: nodes started into a running group (StartPlan::initial > 0).
  std::size_t joiners = 0;
  double join_messages_per_node = 0;  // extra messages per joiner
  double join_recovers_per_node = 0;
  std::uint64_t join_detags = 0;

  // Name clashes.
  std::vector<ClashFigure> clash_reports;
  std::optional<double> first_clash_s;  // from the later duplicate's start

  // Setup version of each running node at the end: version -> nodes.
  std::map<std::int64_t, std::size_t> setup_versions;

  // Things that should not happen: payloads an engine dropped, by reason,
  // and timers that were due but did not run when advanced.
  std::array<std::uint64_t, static_cast<int>(DropReason::kCount)> drops{};
  std::uint64_t timer_stalls = 0;
};

// max_heal_s() is the largest heal_s over all heals; nullopt when there was
// no heal or some heal never settled into a single tag.
[[nodiscard]] std::optional<double> max_heal_s(const Figures& figures);

// to_json() writes every figure as one compact JSON object.
[[nodiscard]] std::string to_json(const Figures& figures);

// to_text() is a short readable summary, several lines.
[[nodiscard]] std::string to_text(const Figures& figures);

}  // namespace asyncactor::sim
