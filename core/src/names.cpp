// names.cpp: the engine's table of node names (Engine::nodes()), kept
// bounded. Names that are not heard from expire, and the table has a hard
// cap, so that a peer inventing names can neither grow memory without end
// nor inflate the outsiders estimate of PROTOCOL 5.3 for good.
#include <algorithm>

#include "engine_internal.hpp"

namespace asyncactor {

using detail::Timer;

namespace {

bool contains(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// A name lives at least this many cycles, whatever the setup.
constexpr double kMinLifetimeCycles = 4;

}  // namespace

Time Engine::State::name_lifetime() const {
  const Setup& s = config.setup;
  double cycles = std::max(kMinLifetimeCycles,
                           static_cast<double>(s.nodes) + s.n_hosts);
  return cycles * (s.cycle + 2 * s.gap);
}

// remember() finds `name`, adding it (heard now) if the table has room.
// It returns null for a new name refused because the table is full.
NodeInfo* Engine::State::remember(const std::string& name, Time now) {
  auto it = nodes.find(name);
  if (it != nodes.end()) return &it->second;
  if (nodes.size() >= config.max_nodes) {
    ++counters.names_refused;
    return nullptr;
  }
  NodeInfo& info = nodes[name];
  info.heard = now;
  return &info;
}

// heard_chain() marks every member of the accepted beacon `m` as heard.
// A member the table had no room for evicts the name heard least recently:
// the chain's values decide conflicts, so its members must be known.
void Engine::State::heard_chain(const Message& m, Time now) {
  for (const auto& name : m.history) {
    auto it = nodes.find(name);
    if (it == nodes.end()) {
      if (nodes.size() >= config.max_nodes && !evict_one(m.history)) {
        ++counters.names_refused;
        continue;
      }
      it = nodes.try_emplace(name).first;
    }
    it->second.heard = now;
    if (m.type == MessageType::kPing && name == m.node) {
      it->second.value = m.value;
      it->second.last_seen = now;
    }
  }
}

// evict_one() forgets the name heard least recently, other than ours, our
// view's and `keep`. It scans the table, which only happens when the table
// is full and an accepted beacon brings a new name: about once a cycle at
// most.
bool Engine::State::evict_one(const std::vector<std::string>& keep) {
  auto oldest = nodes.end();
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    if (oldest != nodes.end() && it->second.heard >= oldest->second.heard)
      continue;
    if (it->first == config.name || contains(history, it->first) ||
        contains(keep, it->first))
      continue;
    oldest = it;
  }
  if (oldest == nodes.end()) return false;
  nodes.erase(oldest);
  ++counters.names_forgotten;
  return true;
}

// sweep_names() forgets the names not heard for a lifetime, except ours
// and those in our view of the chain, and runs again half a lifetime
// later: one pass over the table per half lifetime, which is at least two
// cycles.
void Engine::State::sweep_names(Time now) {
  const Time horizon = now - name_lifetime();
  for (auto it = nodes.begin(); it != nodes.end();) {
    bool stale = it->second.heard < horizon && it->first != config.name &&
                 !contains(history, it->first);
    if (stale) {
      it = nodes.erase(it);
      ++counters.names_forgotten;
    } else {
      ++it;
    }
  }
  arm(Timer::kNameSweep, now + name_lifetime() / 2);
}

Value Engine::State::value_of(const std::string& name) const {
  auto it = nodes.find(name);
  return it == nodes.end() ? Value() : it->second.value;
}

}  // namespace asyncactor
