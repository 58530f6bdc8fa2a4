// output.hpp: events as lines on stdout, for people or for programs.
//
// With --json every event is one JSON object on its own line, flushed at
// once:
//
//   {"event":"tag","node":"a","value":1,"time":1712345678.25,
//    "chain_full":false}
//
// Every object has "event", "node" (a name, or null for a raw hist
// message), "value" (null, a number or a string) and "time" (unix time in
// seconds when the engine saw it happen). Extra fields by event:
//   tag, ping   chain_full (bool)
//   recover     priority (int), replaced (bool), local, remote (names)
//   good_node   nodes (names of the ready nodes known)
//   setup       setup {version, cycle, gap, nodes, splits, n_hosts,
//               force_in}
//   clash       must_yield (bool)
//   raw         message (the message as received, decoded)
// "node" is this node for tag, untag, detag, recover, good_node, setup,
// isolated and connected; the node that is it for ping; the clashing name
// for clash; the sender for raw. "value" belongs to that node.
//
// Without --json each event is one readable line:
//   2024-04-05 12:34:56.250 tag a value=1 chain_full=no
// Names and values in it come from peers, so every control character and
// every byte outside printable ASCII is shown as '?': a name holding a
// newline cannot forge a line. --json output keeps them (JSON-escaped).
#pragma once

#include <string>

#include "asyncactor/event.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor::client {

// EventContext is what an event line needs besides the event itself.
struct EventContext {
  std::string own_name;         // this node's name
  asyncactor::Value own_value;  // this node's current value
  double wall_time = 0;         // unix time of the event
};

// event_node() and event_value() are the node and value an event line
// shows (see above); event_node() is empty for a raw hist message.
[[nodiscard]] std::string event_node(const asyncactor::Event& event,
                                     const EventContext& context);
[[nodiscard]] asyncactor::Value event_value(const asyncactor::Event& event,
                                            const EventContext& context);

// value_text() shows a value: "null", a number without a needless
// fraction ("1", "2.5"), or the string itself.
[[nodiscard]] std::string value_text(const asyncactor::Value& value);

// event_json() returns the JSON line for an event, without the newline.
[[nodiscard]] std::string event_json(const asyncactor::Event& event,
                                     const EventContext& context);

// event_text() returns the readable line for an event, without newline.
[[nodiscard]] std::string event_text(const asyncactor::Event& event,
                                     const EventContext& context);

// print_event() writes the event's line to stdout and flushes it.
void print_event(bool json, const asyncactor::Event& event,
                 const EventContext& context);

}  // namespace asyncactor::client
