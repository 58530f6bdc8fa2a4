// time.hpp: how the core measures time.
//
// The core never reads a clock. Every call that can change state takes `now`,
// the caller's monotonic clock in seconds (any origin, never stepping back).
#pragma once

#include <limits>

namespace asyncactor {

using Time = double;  // seconds on the caller's monotonic clock

// kNever is the deadline of an engine with nothing scheduled.
inline constexpr Time kNever = std::numeric_limits<double>::infinity();

}  // namespace asyncactor
