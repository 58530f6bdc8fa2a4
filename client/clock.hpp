// clock.hpp: the two clocks of the client.
//
// The engine runs on the monotonic clock only; the wall clock is used for
// nothing but the timestamps printed with events:
//
//   asyncactor::Time now = mono_now();
//   double printed = wall_time_of(event.time, now);
#pragma once

#include "asyncactor/time.hpp"

namespace asyncactor::client {

// mono_now() is CLOCK_MONOTONIC in seconds: the engine's time.
[[nodiscard]] asyncactor::Time mono_now();

// wall_now() is the unix time in seconds (CLOCK_REALTIME).
[[nodiscard]] double wall_now();

// wall_time_of() converts the engine time `t` to unix time, given that the
// monotonic clock reads `mono` now. A wall-clock step moves the result but
// never the engine.
[[nodiscard]] double wall_time_of(asyncactor::Time t, asyncactor::Time mono);

// Backoff produces reconnect delays: `first`, doubling up to `limit`.
//
//   Backoff b(0.5, 10);
//   b.next();  // 0.5, then 1, 2, 4, 8, 10, 10 ...
//   b.reset(); // after a connection succeeded
class Backoff {
 public:
  Backoff(double first, double limit) : first_(first), limit_(limit) {}

  // next() returns the delay before the next attempt and doubles it.
  [[nodiscard]] double next();

  // reset() starts again from `first`.
  void reset() { current_ = 0; }

 private:
  double first_;
  double limit_;
  double current_ = 0;
};

}  // namespace asyncactor::client
