// random.hpp: the simulator's own deterministic randomness.
//
// The standard library's distributions may differ between library versions,
// so the simulator draws every random figure through these few functions.
// A given seed gives the same run on every platform.
//
//   Rng rng(42);
//   double u = rng.uniform();          // [0, 1)
//   DelayModel d{DelayKind::kUniform, 0.0, 0.1};
//   double delay = sample_delay(d, rng);
#pragma once

#include <cstdint>

namespace asyncactor::sim {

// Rng is xoshiro256** seeded through splitmix64: fast, small and good enough
// for simulation. Not for cryptography.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // next() returns 64 random bits.
  std::uint64_t next();

  // uniform() returns a double uniformly distributed in [0, 1).
  double uniform();

 private:
  std::uint64_t s_[4];
};

// mix_seed() derives an independent seed from `seed` and a `stream` number,
// so that each node and each purpose gets its own sequence.
[[nodiscard]] std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream);

enum class DelayKind {
  kFixed,    // always `max`
  kUniform,  // uniform in [min, max]
  kTail,     // min + Lomax(scale, shape), capped at max: mostly short
};

// DelayModel says how long the channel takes to deliver one message to one
// receiver, in seconds.
struct DelayModel {
  DelayKind kind = DelayKind::kUniform;
  double min = 0;     // seconds; the shortest delay (not used by kFixed)
  double max = 0;     // seconds; the fixed delay, or the upper bound
  double scale = 0;   // kTail: Lomax scale in seconds (0: max / 20)
  double shape = 1.5; // kTail: Lomax shape; smaller means a heavier tail
};

// sample_delay() draws one delay from `model`. The result is always within
// [min, max] (for kFixed exactly max).
[[nodiscard]] double sample_delay(const DelayModel& model, Rng& rng);

// delay_kind_name() is "fixed", "uniform" or "tail".
const char* delay_kind_name(DelayKind kind);

}  // namespace asyncactor::sim
