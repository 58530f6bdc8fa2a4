// setup.hpp: the group's timing and size parameters (PROTOCOL section 3).
//
//   Setup s;             // the defaults: cycle 7 s, gap 1 s, 5 nodes ...
//   s.cycle = 2;
//   s.gap = 0.4;
//   if (auto err = validate(s)) { /* *err says what is wrong */ }
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace asyncactor {

// Setup is one generation of the group's parameters. Every node of a group
// should run with the same Setup; the highest `version` seen wins.
struct Setup {
  std::int64_t version = 0;
  double cycle = 7.0;    // seconds between beacons, and length of a tag
  double gap = 1.0;      // seconds reserved for delivery and collisions
  int nodes = 5;         // maximum chain length
  int splits = 4;        // history entries carried in a beacon
  int n_hosts = 10;      // rough expected group size
  bool force_in = false; // every node tries hard to get onto the chain

  friend bool operator==(const Setup& a, const Setup& b) {
    return a.version == b.version && a.cycle == b.cycle && a.gap == b.gap &&
           a.nodes == b.nodes && a.splits == b.splits &&
           a.n_hosts == b.n_hosts && a.force_in == b.force_in;
  }
  friend bool operator!=(const Setup& a, const Setup& b) { return !(a == b); }
};

// validate() checks the rules of PROTOCOL section 3 (cycle >= 0.1,
// gap >= 0.01, cycle >= 3 * gap, nodes >= 1, splits >= 2, n_hosts >= 1,
// finite numbers, version >= 0). It returns std::nullopt when the setup is
// valid, else a one-line explanation fit for a user.
[[nodiscard]] std::optional<std::string> validate(const Setup& setup);

}  // namespace asyncactor
