// recorder.cpp: the run log and the figures computed from it.
#include "recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace asyncactor::sim::detail {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxViolationsKept = 10;

// liveness_bound() is PROTOCOL section 7's 2.5 * gap + L, widened by three
// timer ticks: a ticked node ends its tag one tick early, and the next
// beacon and its tag timer may each fire up to one tick late.
double liveness_bound(const Scenario& s) {
  double slack = s.slack;
  for (const auto& spec : s.nodes) {
    slack = std::max(slack, spec.slack.value_or(0));
  }
  return 2.5 * s.setup.gap + s.delay.max + 3 * slack;
}

bool by_start(const Piece& a, const Piece& b) {
  return a.start < b.start || (a.start == b.start && a.node < b.node);
}

}  // namespace

Recorder::Recorder(std::vector<NodeFacts> nodes, std::vector<Epoch> epochs)
    : nodes_(std::move(nodes)),
      epochs_(std::move(epochs)),
      open_(nodes_.size(), -1),
      tagged_(nodes_.size(), 0),
      awake_(nodes_.size(), 0),
      last_ping_(nodes_.size(), kNegInf) {}

void Recorder::on_message(double now, std::size_t node, MessageType type) {
  messages_.push_back({now, type});
  if (type == MessageType::kPing) last_ping_[node] = now;
}

// open_piece() starts a piece of `node`'s tag. Its grant time is the
// node's last ping (the tag is won G after it), or now if there was none.
void Recorder::open_piece(double now, std::size_t node) {
  open_[node] = static_cast<long>(pieces_.size());
  double granted = last_ping_[node] <= now ? last_ping_[node] : now;
  if (granted == kNegInf) granted = now;
  pieces_.push_back({node, granted, now, now, now, PieceEnd::kOpen, false});
}

void Recorder::on_event(double now, std::size_t node, const Event& event) {
  ++event_counts_[static_cast<int>(event.type)];
  switch (event.type) {
    case EventType::kTag:
      tagged_[node] = 1;
      tag_starts_.push_back({now, node});
      if (awake_[node] && open_[node] < 0) open_piece(now, node);
      break;
    case EventType::kUntag:
      close_piece(now, node, PieceEnd::kUntag);
      break;
    case EventType::kDetag:
      detag_times_.push_back({now, node});
      close_piece(now, node, PieceEnd::kDetag);
      break;
    case EventType::kRecover:
      recovers_.push_back({now, node});
      break;
    case EventType::kClash:
      clashes_.push_back({now, node, event.node, event.must_yield});
      break;
    default:
      break;
  }
}

void Recorder::close_piece(double now, std::size_t node, PieceEnd how) {
  if (how == PieceEnd::kUntag || how == PieceEnd::kDetag ||
      how == PieceEnd::kCrash) {
    tagged_[node] = 0;
  }
  if (open_[node] < 0) return;
  Piece& p = pieces_[static_cast<std::size_t>(open_[node])];
  p.end = now;
  p.how = how;
  p.cover_end = now;
  if (how == PieceEnd::kCrash || how == PieceEnd::kSuspend) {
    p.cover_end = std::max(now, p.start + nodes_[node].tag_length);
  }
  open_[node] = -1;
}

void Recorder::on_pause(double now, std::size_t node, PieceEnd how) {
  if (awake_[node] && open_[node] < 0) add_ghost(now, node);
  close_piece(now, node, how);
  awake_[node] = 0;
}

// add_ghost() covers the tag a node would have held had it not stopped
// within a gap (and a tick) of its ping: PROTOCOL 7 lets the next beacon
// wait for that tag to end, as for a dead holder.
void Recorder::add_ghost(double now, std::size_t node) {
  const NodeFacts& n = nodes_[node];
  double ping = last_ping_[node];
  if (!n.can_tag || ping == kNegInf || now - ping >= 1.5 * n.gap) return;
  Piece p{node, ping, ping + n.gap, ping + n.gap, ping + n.gap,
          PieceEnd::kCrash, false, true};
  p.cover_end = ping + n.gap / 2 + n.tag_length;
  pieces_.push_back(p);
}

void Recorder::on_wake(double now, std::size_t node) {
  awake_[node] = 1;
  if (tagged_[node] && open_[node] < 0) open_piece(now, node);
}

std::size_t Recorder::epoch_at(double t) const {
  auto it = std::upper_bound(
      epochs_.begin(), epochs_.end(), t,
      [](double v, const Epoch& e) { return v < e.start; });
  return it == epochs_.begin() ? 0 : (it - epochs_.begin()) - 1;
}

double Recorder::epoch_end(std::size_t e, double end) const {
  return e + 1 < epochs_.size() ? epochs_[e + 1].start : end;
}

Figures Recorder::finish(double end, const Scenario& scenario) {
  for (std::size_t n = 0; n < nodes_.size(); ++n) {
    close_piece(end, n, PieceEnd::kOpen);
  }
  pieces_.erase(std::remove_if(pieces_.begin(), pieces_.end(),
                               [](const Piece& p) {
                                 return !p.ghost && p.end <= p.start;
                               }),
                pieces_.end());
  std::sort(pieces_.begin(), pieces_.end(), by_start);
  Figures f;
  f.sim_s = end;
  f.deliveries = deliveries_;
  f.lost = lost_;
  f.drops = drops_;
  f.timer_stalls = stalls_;
  auto count = [&](EventType t) { return event_counts_[static_cast<int>(t)]; };
  f.tags = count(EventType::kTag);
  f.untags = count(EventType::kUntag);
  f.detags = count(EventType::kDetag);
  f.recovers = count(EventType::kRecover);
  f.setups = count(EventType::kSetup);
  f.isolated = count(EventType::kIsolated);
  f.connected = count(EventType::kConnected);
  f.good_nodes = count(EventType::kGoodNode);
  f.liveness_bound_s = liveness_bound(scenario);
  count_messages(f, scenario);
  check_safety(f);
  check_liveness(f, end);
  check_heals(f, end);
  check_joins(f, scenario);
  check_clashes(f);
  return f;
}

void Recorder::count_messages(Figures& f, const Scenario& s) const {
  double last_start = 0;
  for (const auto& n : nodes_) last_start = std::max(last_start, n.first_start);
  f.steady_from = last_start + s.warmup_cycles * cycle_length(s);
  std::uint64_t beacons = 0, steady_beacons = 0;
  for (const auto& m : messages_) {
    ++f.beacons[static_cast<int>(m.type)];
    bool beacon = m.type == MessageType::kPing || m.type == MessageType::kHist;
    beacons += beacon;
    steady_beacons += beacon && m.time >= f.steady_from;
  }
  for (const auto& t : tag_starts_) f.steady_tags += t.time >= f.steady_from;
  if (f.tags > 0) f.beacons_per_tag = double(beacons) / double(f.tags);
  if (f.steady_tags > 0) {
    f.steady_beacons_per_tag = double(steady_beacons) / double(f.steady_tags);
  }
  if (!tag_starts_.empty()) {
    double first = std::numeric_limits<double>::infinity();
    for (const auto& n : nodes_) first = std::min(first, n.first_start);
    f.first_tag_s = tag_starts_.front().time - first;
  }
}

// check_safety() compares every pair of overlapping pieces. An overlap
// counts only while both nodes are in one part; it is allowed (a heal
// overlap) when both tags were granted while the two were apart. A tag is
// granted when its beacon leaves: a beacon sent across a cut that heals
// within the gap that follows reached nobody on the other side, so no
// message could have stopped that tag.
void Recorder::check_safety(Figures& f) {
  std::vector<std::size_t> active;
  for (std::size_t bi = 0; bi < pieces_.size(); ++bi) {
    Piece& b = pieces_[bi];
    if (b.ghost) continue;
    active.erase(std::remove_if(active.begin(), active.end(),
                                [&](std::size_t i) {
                                  return pieces_[i].end <= b.start;
                                }),
                 active.end());
    for (std::size_t ai : active) {
      Piece& a = pieces_[ai];
      double to = std::min(a.end, b.end);
      std::size_t ea = epoch_at(a.granted), eb = epoch_at(b.granted);
      bool apart = epochs_[ea].part[a.node] != epochs_[ea].part[b.node] &&
                   epochs_[eb].part[a.node] != epochs_[eb].part[b.node];
      for (std::size_t e = epoch_at(b.start); e < epochs_.size(); ++e) {
        double from = std::max(b.start, epochs_[e].start);
        double until = std::min(to, epoch_end(e, to));
        if (from >= to) break;
        if (until <= from) continue;
        if (epochs_[e].part[a.node] != epochs_[e].part[b.node]) continue;
        a.overlapped = b.overlapped = true;
        if (apart) {
          ++f.heal_overlaps;
          f.heal_overlap_max_s = std::max(f.heal_overlap_max_s, until - from);
        } else {
          if (f.first_violations.size() < kMaxViolationsKept) {
            f.first_violations.push_back(
                {from, {nodes_[a.node].name, nodes_[b.node].name}});
          }
          ++f.safety_violations;
        }
        break;
      }
    }
    active.push_back(bi);
  }
}

// check_liveness() walks each part of each epoch. A part's tag coverage is
// its members' pieces plus, at the epoch start, whatever tag its members
// were living under before (possibly held by a node now on the other side).
void Recorder::check_liveness(Figures& f, double end) const {
  for (std::size_t e = 0; e < epochs_.size(); ++e) {
    const Epoch& ep = epochs_[e];
    double es = ep.start, ee = epoch_end(e, end);
    std::set<int> parts(ep.part.begin(), ep.part.end());
    for (int part : parts) {
      std::vector<char> member(nodes_.size(), 0), kin(nodes_.size(), 0);
      std::set<int> old_parts;
      bool live = false;
      for (std::size_t n = 0; n < nodes_.size(); ++n) {
        if (ep.part[n] != part) continue;
        member[n] = kin[n] = 1;
        live |= nodes_[n].can_tag && nodes_[n].first_start < ee;
        if (e > 0) old_parts.insert(epochs_[e - 1].part[n]);
      }
      if (!live) continue;
      for (std::size_t n = 0; e > 0 && n < nodes_.size(); ++n) {
        if (old_parts.count(epochs_[e - 1].part[n])) kin[n] = 1;
      }
      double last = kNegInf;
      for (const Piece& p : pieces_) {
        if (p.start >= ee) break;
        if (p.start < es) {
          if (kin[p.node]) last = std::max(last, p.cover_end);
          continue;
        }
        if (!member[p.node]) continue;
        if (last != kNegInf && p.start > last) {
          double gap = p.start - last;
          if (gap > f.max_untagged.seconds) f.max_untagged = {gap, last};
          f.liveness_violations += gap > f.liveness_bound_s;
        }
        last = std::max(last, p.cover_end);
      }
      if (e + 1 == epochs_.size() && last != kNegInf && end > last) {
        double gap = end - last;
        if (gap > f.max_untagged.seconds) f.max_untagged = {gap, last};
        f.liveness_violations += gap > f.liveness_bound_s;
      }
    }
  }
}

// check_heals() finds parts that join at an epoch start and measures each.
void Recorder::check_heals(Figures& f, double end) const {
  for (std::size_t e = 1; e < epochs_.size(); ++e) {
    const Epoch& ep = epochs_[e];
    const Epoch& before = epochs_[e - 1];
    double ee = epoch_end(e, end);
    std::set<int> parts(ep.part.begin(), ep.part.end());
    for (int part : parts) {
      std::set<int> sides;
      for (std::size_t n = 0; n < nodes_.size(); ++n) {
        if (ep.part[n] == part && nodes_[n].can_tag &&
            nodes_[n].first_start < ep.start) {
          sides.insert(before.part[n]);
        }
      }
      if (sides.size() < 2) continue;
      HealFigure h;
      h.time = ep.start;
      h.sides = static_cast<int>(sides.size());
      std::set<int> recovered;
      for (const auto& r : recovers_) {
        if (r.time >= ep.start && r.time < ee && ep.part[r.node] == part) {
          recovered.insert(before.part[r.node]);
        }
      }
      for (int side : sides) h.sides_recovered += recovered.count(side) > 0;
      for (const Piece& p : pieces_) {
        if (p.start < ep.start || ep.part[p.node] != part) continue;
        if (p.start >= ee) break;
        if (p.how == PieceEnd::kUntag && !p.overlapped) {
          h.heal_s = p.start - ep.start;
          break;
        }
      }
      f.heals.push_back(h);
    }
  }
}

void Recorder::check_joins(Figures& f, const Scenario& s) const {
  if (s.start.initial == 0 || s.start.initial >= nodes_.size()) return;
  f.joiners = nodes_.size() - s.start.initial;
  double from = s.start.join_at, to = from;
  for (std::size_t n = s.start.initial; n < nodes_.size(); ++n) {
    to = std::max(to, nodes_[n].first_start);
  }
  to += 2 * cycle_length(s);
  auto in = [&](double t) { return t >= from && t < to; };
  double messages = 0, tags = 0, recovers = 0;
  for (const auto& m : messages_) messages += in(m.time);
  // A tag starts a gap after the ping that won it; count it with that ping
  // so that a ping near the window's end is not taken for an extra one.
  for (const auto& t : tag_starts_) tags += in(t.time - s.setup.gap);
  for (const auto& r : recovers_) recovers += in(r.time);
  for (const auto& d : detag_times_) f.join_detags += in(d.time);
  double joiners = static_cast<double>(f.joiners);
  f.join_messages_per_node = (messages - tags) / joiners;
  f.join_recovers_per_node = recovers / joiners;
}

void Recorder::check_clashes(Figures& f) const {
  f.clash_reports = clashes_;
  std::vector<std::size_t> order(nodes_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return nodes_[a].name < nodes_[b].name;
  });
  double latest_duplicate = kNegInf;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const NodeFacts& a = nodes_[order[i - 1]];
    const NodeFacts& b = nodes_[order[i]];
    if (a.name != b.name) continue;
    double later = std::max(a.first_start, b.first_start);
    latest_duplicate = std::max(latest_duplicate, later);
  }
  if (latest_duplicate == kNegInf) return;
  for (const auto& c : clashes_) {
    if (c.time >= latest_duplicate) {
      f.first_clash_s = c.time - latest_duplicate;
      return;
    }
  }
}

}  // namespace asyncactor::sim::detail
