// clock.cpp: see clock.hpp.
#include "clock.hpp"

#include <time.h>

#include <algorithm>

namespace asyncactor::client {

namespace {

double read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

}  // namespace

asyncactor::Time mono_now() { return read_clock(CLOCK_MONOTONIC); }

double wall_now() { return read_clock(CLOCK_REALTIME); }

double wall_time_of(asyncactor::Time t, asyncactor::Time mono) {
  return wall_now() - (mono - t);
}

double Backoff::next() {
  current_ = current_ == 0 ? first_ : std::min(current_ * 2, limit_);
  return current_;
}

}  // namespace asyncactor::client
