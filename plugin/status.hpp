// status.hpp: the two retained status topics an observer publishes.
//
//   <topic>/leader    {"node": "a" or null, "value": ..., "since": unix s,
//                      "observer": "<this node>"}
//   <topic>/topology  {"observer": ..., "setup": {...}, "chain": [...],
//                      "nodes": {"a": {"value": ..., "last_seen": unix s,
//                                      "in_chain": bool, "online": bool}}}
//
// "last_seen" is null for a name known only from other nodes' histories:
// this observer never had a message from it.
//
// Both are QoS 1 and retained, and are published only when their JSON
// differs from what this plugin published last. The topology is published at
// most once per kTopologyInterval, except when a node goes offline (the
// caller forces it). "last_seen" is rounded to whole seconds so that it
// alone rarely causes a publish; the chain turns over each cycle, so in
// steady state the topology goes out about once per cycle.
#pragma once

#include <optional>
#include <string>

#include "asyncactor/engine.hpp"
#include "presence.hpp"

namespace asyncactor::plugin {

inline constexpr Time kTopologyInterval = 1.0;

// kMaxTopologyNodes caps the "nodes" object; the chain and the most recently
// seen nodes are kept, and "omitted" counts the rest.
inline constexpr std::size_t kMaxTopologyNodes = 256;

// online_window() is how long after its last message a node known only
// through a relay still counts as online: (nodes + n_hosts) cycles with two
// gaps each. A node off the chain may be silent for many cycles.
Time online_window(const Setup& setup);

class Status {
 public:
  Status(std::string topic, std::string observer);

  // set_leader() names `node` (with `value`) as the node that is it, as of
  // engine time `at`; "since" moves only when the name changes. Returns
  // true when the name changed. Publishes <topic>/leader if needed.
  bool set_leader(const std::string& node, const Value& value, Time at);

  // clear_leader() records that no node is it. Returns true when a node
  // was named before. Publishes <topic>/leader if needed.
  bool clear_leader(Time at);

  // set_start_time() records when this node started (engine time). The
  // topology shows it as the observer's own last_seen until the observer
  // sends a message, which a passive one never does.
  void set_start_time(Time at) { started_ = at; }

  // leader() is the named node, if any.
  const std::optional<std::string>& leader() const { return leader_; }

  // publish_topology() publishes <topic>/topology if it changed. Unless
  // `force` is set it looks at most once per kTopologyInterval.
  void publish_topology(const Engine& engine, const Presence& presence,
                        Time now, bool force);

 private:
  void publish_leader();
  std::string topology_json(const Engine& engine, const Presence& presence,
                            Time now) const;

  std::string leader_topic_;
  std::string topology_topic_;
  std::string observer_;

  std::optional<std::string> leader_;
  Value leader_value_;
  double leader_since_ = 0;
  std::string leader_sent_;

  std::string topology_sent_;
  Time topology_built_at_ = -kNever;
  Time started_ = 0;
};

}  // namespace asyncactor::plugin
