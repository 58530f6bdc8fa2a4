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
  } else if (follows(m, history) && !races_repeat(m, now)) {
    if (m.type == MessageType::kPing) accept(m, now, own);
  } else if (m.type == MessageType::kHist && lags(m)) {
    return;  // our own chain as it was one beacon ago: nothing new
  } else if (history.empty()) {
    adopt(m, now);  // a passive node that heard nothing at start-up
  } else {
    conflict(m, now);
  }
}

// follows() is PROTOCOL 5.2: the beacon answers the head of `view`. A
// beacon from the head itself (it spoke again, at its last-resort slot
// because nobody answered) follows too: PROTOCOL 5.2 read literally would
// make it a conflict of the head with itself, ignored, and a lone node
// would never reschedule.
bool Engine::State::follows(const Message& m,
                            const std::vector<std::string>& view) const {
  return same(second(m.history), first(view)) ||
         same(first(m.history), first(view));
}

// lags() is true for a hist headed by the node our head answered: it
// shows our own chain one beacon ago. Its sender wrote it before our last
// beacon reached it (at a heal, delays race), and taken as a conflict it
// would beat our newer head whenever the older one ranks higher.
bool Engine::State::lags(const Message& m) const {
  return same(first(m.history), second(history));
}

// races_repeat() is true for a beacon from another node that answers our
// head shortly after the head spoke again. Both answered the head's
// earlier beacon: it is a collision, decided by priority like any other,
// whichever of the two arrived first. An answer to the repeat itself
// cannot come sooner than C - G/2 after it, so half a cycle tells them
// apart.
bool Engine::State::races_repeat(const Message& m, Time now) const {
  return now < repeat_at + config.setup.cycle / 2 && !history.empty() &&
         m.history[0] != history[0];
}

// accept() moves the sender to the front and schedules our next beacon.
void Engine::State::accept(const Message& m, Time now, bool own) {
  const std::string& x = m.node;
  repeat_at = !history.empty() && history[0] == x ? now : -kNever;
  fresh = false;
  previous = history;
  move_to_front(history, x, max_view());
  mirror_accept(x);
  heard_chain(m, now);
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
// the node takes the group's view and joins as an outsider. A view taken
// from a running chain (two names or more) stays *fresh* until the next
// beacon confirms it: the beacon adopted may have lost a collision whose
// winner left before this node started listening.
void Engine::State::adopt(const Message& m, Time now) {
  phase = Phase::kRunning;
  fresh = m.history.size() >= 2;
  cancel(Timer::kListenEnd);
  cut_copy(history, m.history, max_view());
  previous.clear();
  repeat_at = -kNever;
  mirror_replace(m.history);
  heard_chain(m, now);
  last_beacon_names = m.history.size();
  if (m.type == MessageType::kPing) report_later(m, now);
  schedule_beacon(m.history[0], now);
}

// conflict() decides between a beacon that does not follow our view and
// our head, with the priority rule of PROTOCOL section 6.
//
// It is a plain collision when both answered the same beacon: the same
// history[1], or the beacon follows our view before our last accept (this
// also covers a head that spoke again). When x wins, our own tag is lost
// only if it is what x beat: we are the losing head, or the views diverged
// (a healed split: the other side's holder wins). In a plain collision
// between two answers to our beacon, our tag stands.
//
// A node whose view is still fresh from start-up has no side in a heal:
// it takes the beacon's view and reports nothing (joining causes no
// recover).
void Engine::State::conflict(const Message& m, Time now) {
  const std::string& x = m.history[0];
  const std::string head = history[0];
  bool x_wins = beats(m.value, x, value_of(head), head);
  bool plain = same(second(m.history), second(history)) ||
               (!previous.empty() && follows(m, previous));
  if (fresh && !plain) {
    adopt(m, now);  // our one beacon was outdated: catch up, no heal
    return;
  }
  fresh = false;

  std::vector<std::string> old_view;
  if (!plain) old_view = history;
  if (x_wins) {
    if (!previous.empty() && follows(m, previous)) {
      history = previous;  // as if x's beacon had arrived first
      move_to_front(history, x, max_view());
      mirror = mirror_previous;
      mirror_accept(x);
    } else {
      cut_copy(history, m.history, max_view());
      previous.clear();
      mirror_replace(m.history);
    }
    // A winning repeat of the previous head keeps its collision window:
    // answers to that head that are still on their way lose to it too.
    bool repeat = !previous.empty() && previous[0] == x;
    repeat_at = repeat ? now : -kNever;
    heard_chain(m, now);
    last_beacon_names = m.history.size();
    if (!plain || head == config.name) drive_tag(TagInput::kBeaten, now);
    if (m.type == MessageType::kPing) report_later(m, now);
    schedule_beacon(x, now);
  }
  if (!plain) diverged(m, std::move(old_view), x_wins, now);
}

// diverged() handles a conflict between two chains: a healed split. A
// ready member of the old view reports the heal once and sends a hist
// unless its side does so first. Later beacons of the same heal raise no
// new report, but one from the losing chain is answered at once by our
// head with a hist of our chain: a node that settled the heal the other
// way (the messages raced) learns it lost before it can take a tag.
void Engine::State::diverged(const Message& m,
                             std::vector<std::string> old_view, bool replaced,
                             Time now) {
  const std::string& x = m.history[0];
  bool same_heal =
      now < heal_until && (contains(remote, x) || contains(former, x));
  if (same_heal) {
    if (!replaced && position(history) == 0 && !config.value.is_null())
      send_hist(history, now);
    return;
  }

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
    send_hist(former, now);
}

// note_own_side() cancels our hist when a member of our former chain
// speaks first.
void Engine::State::note_own_side(const std::string& sender) {
  if (armed(Timer::kHistSend) && contains(former, sender))
    cancel(Timer::kHistSend);
}

// heard_other() restarts the isolation timer on another node's beacon
// (PROTOCOL 7, Detection).
void Engine::State::heard_other(Time now) {
  arm(Timer::kIsolation, now + config.setup.cycle + 3 * config.setup.gap);
  isolation_restart = true;
  if (!isolated) return;
  isolated = false;
  emit(EventType::kConnected, now);
}

// restart_isolation_on_send() runs when we send a beacon. The node that
// sent the last beacon hears no other beacon until someone answers it, at
// most C + 2G (+ a delivery) later, while the beacon before its own was
// heard about a cycle before that: counting only other nodes' beacons would
// report every sender isolated. So our first beacon after start or after
// another node's beacon restarts the clock, provided we know of any other
// node to answer it. Later beacons of ours that nobody answered do not: a
// node cut off from everyone is still isolated within C + 3G of its first
// unanswered beacon, and a node alone from the start within C + 3G.
void Engine::State::restart_isolation_on_send(Time now) {
  if (isolated || !isolation_restart || nodes.size() < 2) return;
  isolation_restart = false;
  arm(Timer::kIsolation, now + config.setup.cycle + 3 * config.setup.gap);
}

// mirror_accept() is the passive view's version of accepting a beacon
// from `x`: it moves to the front and nobody is shed.
void Engine::State::mirror_accept(const std::string& x) {
  if (config.enabled) return;
  mirror_previous = mirror;
  auto it = std::find(mirror.begin(), mirror.end(), x);
  if (it != mirror.end()) mirror.erase(it);
  mirror.insert(mirror.begin(), x);
}

// mirror_replace() puts a winning beacon's chain at the front of the
// passive view; the other names it knew stay behind it.
void Engine::State::mirror_replace(const std::vector<std::string>& names) {
  if (config.enabled) return;
  mirror_previous.clear();
  std::vector<std::string> rest;
  rest.reserve(mirror.size());
  for (auto& n : mirror)
    if (!contains(names, n)) rest.push_back(std::move(n));
  mirror = names;
  mirror.insert(mirror.end(), std::make_move_iterator(rest.begin()),
                std::make_move_iterator(rest.end()));
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
  ping.history.resize(std::min(ping.history.size(),
                               static_cast<std::size_t>(config.setup.splits)));

  restart_isolation_on_send(now);
  send(std::move(ping), now);
  if (!config.value.is_null()) drive_tag(TagInput::kBeaconSent, now);
}

// send_hist() tells the other side of a healed split about our chain
// `names` (our old view, or our view when answering).
void Engine::State::send_hist(const std::vector<std::string>& names, Time now) {
  Message hist;
  hist.type = MessageType::kHist;
  hist.value = config.value;
  cut_copy(hist.history, names, static_cast<std::size_t>(config.setup.splits));
  if (!hist.history.empty()) send(std::move(hist), now);
}

// max_view() is how many names the view keeps. A passive node keeps the
// same bounded view as everyone else for its decisions, and its unbounded
// mirror besides.
std::size_t Engine::State::max_view() const {
  return static_cast<std::size_t>(config.setup.nodes);
}

// position() is our index in `view`, or -1.
int Engine::State::position(const std::vector<std::string>& view) const {
  auto it = std::find(view.begin(), view.end(), config.name);
  return it == view.end() ? -1 : static_cast<int>(it - view.begin());
}

}  // namespace asyncactor
