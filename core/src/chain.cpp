// chain.cpp: the node's view of the chain. Accepting beacons (PROTOCOL 5.2),
// conflicts, splits and recovery (section 6), start-up adoption (section 8),
// readiness and isolation reports (sections 9 and 10).
#include <algorithm>
#include <cmath>

#include "engine_internal.hpp"

namespace asyncactor {

using detail::Phase;
using detail::TagInput;
using detail::Timer;

namespace {

const std::string* second(const std::vector<std::string>& names) {
  return names.size() > 1 ? &names[1] : nullptr;
}

const std::string* first(const std::vector<std::string>& names) {
  return names.empty() ? nullptr : &names[0];
}

bool same(const std::string* a, const std::string* b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

bool contains(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// move_to_front() is the acceptance rule of PROTOCOL 5.2 for sender `x`.
void move_to_front(std::vector<std::string>& view, const std::string& x,
                   std::size_t limit) {
  auto it = std::find(view.begin(), view.end(), x);
  if (it != view.end()) {
    bool was_last = it + 1 == view.end();
    view.erase(it);
    if (!was_last) view.pop_back();
  } else if (view.size() >= limit) {
    view.resize(limit - 1);
  }
  view.insert(view.begin(), x);
}

void cut_copy(std::vector<std::string>& to,
              const std::vector<std::string>& from, std::size_t limit) {
  to.assign(from.begin(), from.begin() + std::min(limit, from.size()));
}

}  // namespace

// on_beacon() handles a ping or a hist, ours or another node's.
void Engine::State::on_beacon(const Message& m, Time now, bool own) {
  if (!own) {
    heard_other(now);
    note_own_side(m.history[0]);
    if (m.type == MessageType::kPing) check_good_node(m, now);
  }
  if (phase == Phase::kListening) {
    adopt(m, now);
  } else if (phase != Phase::kRunning) {
    return;  // clashing: silent until the start-up sequence runs again
  } else if (follows(m, history)) {
    if (m.type == MessageType::kPing) accept(m, now, own);
  } else if (history.empty()) {
    adopt(m, now);  // a passive node that heard nothing at start-up
  } else {
    conflict(m, now);
  }
}

// follows() is PROTOCOL 5.2: the beacon answers the head of `view`. A
// beacon from the head itself (it spoke again) follows too.
bool Engine::State::follows(const Message& m,
                            const std::vector<std::string>& view) const {
  return same(second(m.history), first(view)) ||
         same(first(m.history), first(view));
}

// accept() moves the sender to the front and schedules our next beacon.
void Engine::State::accept(const Message& m, Time now, bool own) {
  const std::string& x = m.node;
  previous = history;
  move_to_front(history, x, max_view());
  last_beacon_names = m.history.size();
  waited = position(history) < 0 ? waited + 1 : 0;

  if (own) {
    cancel(Timer::kPingReport);
  } else {
    report_later(m, now);
  }
  schedule_beacon(x, now);
}

// adopt() ends the start-up listening phase on the first beacon heard:
// the node takes the group's view and joins as an outsider.
void Engine::State::adopt(const Message& m, Time now) {
  phase = Phase::kRunning;
  cancel(Timer::kListenEnd);
  cut_copy(history, m.history, max_view());
  previous.clear();
  last_beacon_names = m.history.size();
  if (m.type == MessageType::kPing) report_later(m, now);
  schedule_beacon(m.history[0], now);
}

// conflict() decides between a beacon that does not follow our view and
// our head, with the priority rule of PROTOCOL section 6.
void Engine::State::conflict(const Message& m, Time now) {
  const std::string& x = m.history[0];
  const std::string& y = history[0];
  bool x_wins = beats(m.value, x, nodes[y].value, y);
  bool plain = same(second(m.history), second(history));

  std::vector<std::string> old_view;
  if (!plain) old_view = history;
  if (x_wins) {
    if (!previous.empty() && follows(m, previous)) {
      history = previous;  // as if x's beacon had arrived first
      move_to_front(history, x, max_view());
    } else {
      cut_copy(history, m.history, max_view());
    }
    last_beacon_names = m.history.size();
    drive_tag(TagInput::kBeaten, now);
    if (m.type == MessageType::kPing) report_later(m, now);
    schedule_beacon(x, now);
  }
  if (!plain) diverged(m, std::move(old_view), x_wins, now);
}

// diverged() handles a conflict between two chains: a healed split. A
// ready member of the old view reports the heal once and sends a hist
// unless its side does so first.
void Engine::State::diverged(const Message& m,
                             std::vector<std::string> old_view, bool replaced,
                             Time now) {
  const std::string& x = m.history[0];
  bool same_heal = now < heal_until &&
                   (contains(remote, x) || contains(former, x));
  if (same_heal) return;

  former = std::move(old_view);
  remote = m.history;
  int p = position(former);
  heal_until = now + config.setup.cycle + 2 * config.setup.gap;
  if (p < 0 || config.value.is_null()) return;

  Event& e = emit(EventType::kRecover, now);
  e.priority = p;
  e.replaced = replaced;
  e.local = former;
  e.remote = remote;

  Time delay = config.setup.gap * (1 - std::ldexp(1.0, -p));
  if (delay > 0)
    arm(Timer::kHistSend, now + delay);
  else
    send_hist(now);
}

// note_own_side() cancels our hist when a member of our former chain
// speaks first.
void Engine::State::note_own_side(const std::string& sender) {
  if (armed(Timer::kHistSend) && contains(former, sender))
    cancel(Timer::kHistSend);
}

// heard_other() restarts the isolation timer on another node's beacon.
void Engine::State::heard_other(Time now) {
  arm(Timer::kIsolation, now + config.setup.cycle + 3 * config.setup.gap);
  if (!isolated) return;
  isolated = false;
  emit(EventType::kConnected, now);
}

// check_good_node() tells a node that is not ready which nodes are.
void Engine::State::check_good_node(const Message& m, Time now) {
  if (!config.value.is_null() || m.value.is_null()) return;

  Event& e = emit(EventType::kGoodNode, now);
  for (const auto& [name, info] : nodes)
    if (!info.value.is_null() && name != config.name) e.nodes.push_back(name);
  std::sort(e.nodes.begin(), e.nodes.end());
}

// report_later() reports the beacon's sender as "it" G from now, unless
// a better beacon arrives first. A node that is not ready is never it.
void Engine::State::report_later(const Message& m, Time now) {
  if (m.value.is_null()) {
    cancel(Timer::kPingReport);
    return;
  }
  report_node = m.node;
  report_value = m.value;
  arm(Timer::kPingReport, now + config.setup.gap);
}

// send_beacon() sends our ping; handling it as received updates the view.
void Engine::State::send_beacon(Time now) {
  Message ping;
  ping.type = MessageType::kPing;
  ping.node = config.name;
  ping.value = config.value;
  ping.history = history;
  move_to_front(ping.history, config.name, max_view());
  ping.history.resize(
      std::min(ping.history.size(),
               static_cast<std::size_t>(config.setup.splits)));

  send(std::move(ping), now);
  if (!config.value.is_null()) drive_tag(TagInput::kBeaconSent, now);
}

// send_hist() tells the other side of a healed split about our old chain.
void Engine::State::send_hist(Time now) {
  Message hist;
  hist.type = MessageType::kHist;
  hist.value = config.value;
  cut_copy(hist.history, former, static_cast<std::size_t>(config.setup.splits));
  if (!hist.history.empty()) send(std::move(hist), now);
}

// max_view() is how many names the view keeps: unbounded when passive.
std::size_t Engine::State::max_view() const {
  if (!config.enabled) return static_cast<std::size_t>(-1);
  return static_cast<std::size_t>(config.setup.nodes);
}

// position() is our index in `view`, or -1.
int Engine::State::position(const std::vector<std::string>& view) const {
  auto it = std::find(view.begin(), view.end(), config.name);
  return it == view.end() ? -1 : static_cast<int>(it - view.begin());
}

}  // namespace asyncactor
