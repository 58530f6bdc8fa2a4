// event.hpp: what an engine reports to its application (PROTOCOL section 10).
#pragma once

#include <string>
#include <vector>

#include "asyncactor/message.hpp"
#include "asyncactor/setup.hpp"
#include "asyncactor/time.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor {

enum class EventType {
  kTag,        // this node is it, until kUntag or kDetag
  kUntag,      // the tag period ended normally; stop within gap/2
  kDetag,      // a better beacon took the tag away; stop at once
  kPing,       // another node is it (one per cycle)
  kRecover,    // a network split healed (PROTOCOL section 6)
  kGoodNode,   // ready nodes exist while this node is not ready
  kSetup,      // the setup changed from the network
  kClash,      // another node uses this node's name
  kIsolated,   // no beacon from any other node for cycle + 3 * gap
  kConnected,  // the first beacon from another node after kIsolated
  kRaw,        // a valid message arrived (only with EngineConfig::raw)
};

// event_type_name() returns the snake_case name used in JSON output
// ("tag", "good_node", ...).
const char* event_type_name(EventType type);

// Event is one report. `type` says which fields are meaningful; the others
// keep their defaults.
struct Event {
  EventType type = EventType::kPing;
  Time time = 0;  // engine time at which it happened

  // kTag, kUntag, kDetag: this node. kPing: the node that is it.
  // kClash: the clashing name. kRaw: the sender (empty for hist).
  std::string node;
  Value value;              // kTag, kPing: that node's value
  bool chain_full = false;  // kTag, kPing: all `nodes` chain places taken

  // kRecover: this node's priority (0 is highest), whether the other side's
  // chain replaced this node's, the chain on this node's side and on the
  // other side.
  int priority = 0;
  bool replaced = false;
  std::vector<std::string> local;
  std::vector<std::string> remote;

  std::vector<std::string> nodes;  // kGoodNode: ready nodes known
  Setup setup;                     // kSetup: the new setup

  // kClash: true when this node must give way (it is the newcomer, or two
  // running nodes share the name); false when the other node is the one
  // starting up and has been told so.
  bool must_yield = false;

  Message raw;  // kRaw: the message
};

}  // namespace asyncactor
