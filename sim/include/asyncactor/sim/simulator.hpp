// simulator.hpp: many protocol engines on a virtual clock and a modelled
// network, deterministic for a given seed.
//
//   Scenario s;
//   s.node_count = 100;
//   s.cycles = 50;
//   if (auto err = check_scenario(s); !err.empty()) fail(err);
//   Simulator sim(s);
//   Figures f = sim.run();
//
// The simulator holds no protocol logic. It drives each asyncactor::Engine
// only through its public API (start, receive, advance, next_deadline,
// pop_message, pop_event) and measures what the engines report.
//
// Model, in short (docs/simulator.md has the details):
// - One discrete-event queue ordered by (time, sequence number).
// - A node's messages, popped after one engine call, travel together as a
//   bundle; each receiver gets the bundle after its own delay, and never
//   before an earlier bundle from the same sender. The sender does not get
//   its own bundle back (the engine would ignore the echo).
// - Reachability is decided when a bundle is sent: receivers in another
//   connected part, or not yet started, never get it.
// - A node with slack s > 0 runs its timers only on ticks s apart (with a
//   random phase), like the broker plugin; messages arrive at once.
// - A suspended node runs no timers and queues its deliveries; on resume it
//   advances its clock first, then takes the queue in order.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>

#include "asyncactor/engine.hpp"
#include "asyncactor/sim/figures.hpp"
#include "asyncactor/sim/scenario.hpp"

namespace asyncactor::sim {

class Simulator {
 public:
  // Simulator() requires check_scenario(scenario) to have passed.
  explicit Simulator(Scenario scenario);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // run() simulates until duration(scenario) and returns the figures.
  // Call once.
  [[nodiscard]] Figures run();

  // run_until() simulates up to virtual time `t` (inclusive) and can be
  // called repeatedly with growing `t`, for tests that look in between.
  void run_until(double t);

  // finish() computes the figures at the current time; the simulator is
  // spent afterwards.
  [[nodiscard]] Figures finish();

  // trace_to() writes one line per message sent and per engine event to
  // `out` (null: off), for finding out what went wrong in a run. Slow.
  void trace_to(std::FILE* out);

  // now() is the current virtual time.
  [[nodiscard]] double now() const;

  // engine() is node `index`'s engine, or null while it is not started or
  // crashed.
  [[nodiscard]] const Engine* engine(std::size_t index) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// run_scenario() checks and runs `scenario`. It returns "" and fills
// `figures`, or returns why the scenario cannot run.
[[nodiscard]] std::string run_scenario(const Scenario& scenario,
                                       Figures& figures);

}  // namespace asyncactor::sim
