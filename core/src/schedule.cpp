// schedule.cpp: when a node sends its next beacon (the d table of PROTOCOL
// 5.3) and the engine's named timers.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine_internal.hpp"

namespace asyncactor {

using detail::Phase;
using detail::TagInput;
using detail::Timer;

namespace {

// A bound on timers run by one advance(); each fire re-arms into the future
// or not at all, so this only guards against a programming error.
constexpr int kMaxFiresPerAdvance = 64;

}  // namespace

namespace detail {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Rng::uniform(double low, double high) {
  double unit = static_cast<double>(next() >> 11) * 0x1.0p-53;
  return low + (high - low) * unit;
}

}  // namespace detail

// schedule_beacon() plans our beacon after a beacon from `sender` was
// accepted now; it replaces any earlier plan.
void Engine::State::schedule_beacon(const std::string& sender, Time now) {
  if (!can_beacon()) {
    cancel(Timer::kBeacon);
    return;
  }
  const Setup& s = config.setup;
  arm(Timer::kBeacon, now + s.cycle + s.gap * beacon_delay(sender));
}

// beacon_delay() is d of PROTOCOL 5.3, in gaps after the cycle.
double Engine::State::beacon_delay(const std::string& sender) {
  if (sender == config.name) return 2;
  if (history.empty()) return rng.uniform(1.7, 1.9);
  if (config.value.is_null() && defer_to_ready())
    return 2 + rng.uniform(0, 1.0 / 3);

  int p = position(history);
  if (p < 0) return outsider_delay();
  int k = static_cast<int>(history.size()) - 1 - p;
  return 1 - std::ldexp(1.0, -(k + 1));
}

// outsider_delay() is d for a node off the chain: early with a probability
// that makes about one early attempt per cycle (or per n_hosts cycles when
// the chain is full) across all outsiders, else a late stand-in. A node
// that has just joined a running chain waits one beacon before trying
// early: it knows too few nodes to estimate the outsiders (PROTOCOL 5.3
// allows refining the estimate), and its one-beacon view may be outdated,
// which would make its beacon look like a healed split to everyone.
double Engine::State::outsider_delay() {
  const Setup& s = config.setup;
  if (fresh) return rng.uniform(1.5, 2.0);  // see above
  if (s.force_in) return rng.uniform(0, 0.25 / (1 + waited));

  double chain = static_cast<double>(history.size());
  double outsiders = std::max(1.0, static_cast<double>(nodes.size()) - chain);
  auto full_size = static_cast<std::size_t>(std::min(s.splits, s.nodes));
  double p = 1 / outsiders;
  if (last_beacon_names >= full_size)
    p = 1 / (s.n_hosts * std::max(outsiders, s.n_hosts - chain));
  return rng.chance(p) ? rng.uniform(0, 0.25) : rng.uniform(1.5, 2.0);
}

// defer_to_ready() is true when the ready node that would speak first
// (nearest the end of the chain) is in the back half of the chain.
bool Engine::State::defer_to_ready() const {
  for (std::size_t i = history.size(); i-- > 0;) {
    auto it = nodes.find(history[i]);
    if (it == nodes.end() || it->second.value.is_null()) continue;
    return 2 * (i + 1) > history.size();
  }
  return false;
}

// pop_due() takes the earliest timer due by `now`.
bool Engine::State::pop_due(Time now, Timer& due) {
  auto it = std::min_element(timers.begin(), timers.end());
  if (*it > now) return false;
  *it = kNever;
  due = static_cast<Timer>(it - timers.begin());
  return true;
}

// run_timers() drops a stale tag first (the node may have been suspended),
// then runs every due timer in time order. After a clock jump the overdue
// timers are first brought up to date (catch_up).
void Engine::State::run_timers(Time now) {
  if (phase == Phase::kNew) return;
  drop_stale_tag(now);
  if (clock_jumped(now)) catch_up(now);

  Timer due{};
  for (int i = 0; i < kMaxFiresPerAdvance && pop_due(now, due); ++i)
    fire(due, now);
}

// clock_jumped() is true when a timer is overdue by more than half a gap.
// Timers fire late by at most the configured slack, which is below that, so
// this means the process was stopped (suspended, or stalled as badly).
bool Engine::State::clock_jumped(Time now) const {
  Time first = *std::min_element(timers.begin(), timers.end());
  return first != kNever && now - first > config.setup.gap / 2;
}

// catch_up() handles the timers that fell due while the node was not
// running. Its view of the chain is as old as the moment it stopped, and the
// messages that queued meanwhile have not been read yet, so acting on
// those timers now would be acting on stale knowledge:
// - a pending tag is dropped silently: a better beacon may be in the queue;
// - an overdue beacon is put off to the last-resort slot from now, and the
//   queued beacons will place it properly;
// - an overdue hist is dropped (our side has spoken meanwhile, or the heal
//   is long over), and so is a "X is it" report whose tag has ended;
// - the isolation, clash and listening spells, and the name sweep, start
//   again: the node heard nothing while it was stopped, which says nothing
//   about the network.
void Engine::State::catch_up(Time now) {
  const Setup& s = config.setup;
  auto overdue = [&](Timer t) { return when(t) < now; };

  if (tag == TagState::kPending && overdue(Timer::kTagStart))
    drive_tag(TagInput::kBeaten, now);
  if (overdue(Timer::kBeacon)) arm(Timer::kBeacon, now + s.cycle + 2 * s.gap);
  if (overdue(Timer::kHistSend)) cancel(Timer::kHistSend);
  if (overdue(Timer::kPingReport) &&
      now >= when(Timer::kPingReport) + s.cycle - s.gap / 2)
    cancel(Timer::kPingReport);
  if (overdue(Timer::kIsolation))
    arm(Timer::kIsolation, now + s.cycle + 3 * s.gap);
  if (overdue(Timer::kClashEnd))
    arm(Timer::kClashEnd, now + s.cycle + 3 * s.gap);
  if (overdue(Timer::kNameSweep))
    arm(Timer::kNameSweep, now + name_lifetime() / 2);
  if (overdue(Timer::kListenEnd))
    arm(Timer::kListenEnd, now + s.cycle + s.gap * rng.uniform(1.5, 2.0));
}

void Engine::State::fire(Timer t, Time now) {
  switch (t) {
    case Timer::kBeacon:
      if (can_beacon()) send_beacon(now);
      break;
    case Timer::kTagStart:
      drive_tag(TagInput::kGapElapsed, now);
      break;
    case Timer::kTagEnd:
      drive_tag(TagInput::kPeriodOver, now);
      break;
    case Timer::kPingReport: {
      Event& e = emit(EventType::kPing, now);
      e.node = report_node;
      e.value = report_value;
      e.chain_full =
          history.size() >= static_cast<std::size_t>(config.setup.nodes);
      break;
    }
    case Timer::kHistSend:
      send_hist(former, now);
      break;
    case Timer::kIsolation:
      isolated = true;
      emit(EventType::kIsolated, now);
      break;
    case Timer::kVersAnswer: {
      Message vers;
      vers.type = MessageType::kVers;
      vers.node = config.name;
      vers.setup = config.setup;
      send(std::move(vers), now);
      break;
    }
    case Timer::kClashEnd:
      begin_listening(now);
      break;
    case Timer::kListenEnd:
      phase = Phase::kRunning;
      if (can_beacon()) send_beacon(now);
      break;
    case Timer::kNameSweep:
      sweep_names(now);
      break;
    case Timer::kCount:
      break;
  }
}

}  // namespace asyncactor
