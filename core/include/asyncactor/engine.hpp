// engine.hpp: the beacon protocol engine, without I/O and without a clock.
//
// One Engine is one node of a group. The application feeds it what arrives
// on the channel and the current time, and takes out what to broadcast and
// what to report:
//
//   EngineConfig cfg;
//   cfg.name = "kitchen";
//   cfg.value = Value::number(1);
//   Engine engine(cfg);              // check_config(cfg) first
//   engine.start(clock());
//   for (;;) {
//     wait_until(engine.next_deadline());   // or until a payload arrives
//     if (got_payload) (void)engine.receive(payload, clock());
//     engine.advance(clock());
//     while (auto m = engine.pop_message()) broadcast(encode(*m));
//     while (auto e = engine.pop_event()) report(*e);
//   }
//
// The engine counts its own sends as received: it does not need, and
// silently ignores, the channel's echo of what it sent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "asyncactor/event.hpp"
#include "asyncactor/message.hpp"
#include "asyncactor/setup.hpp"
#include "asyncactor/time.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor {

// EngineConfig is what a node is told when it starts.
struct EngineConfig {
  std::string name;        // unique in the group, 1..kMaxNameBytes bytes
  Setup setup;             // local setup; a higher version from the net wins
  Value value;             // null: not ready (never takes the tag)
  bool enabled = true;     // false: passive, listens and reports, never sends
  Time slack = 0;          // how late this node's timers may fire, seconds
  std::uint64_t seed = 1;  // seeds the engine's own random generator
  bool raw = false;        // also report every valid message as kRaw
  // The most names nodes() keeps (this node included), so that a flood of
  // made-up names cannot grow memory without bound. Must be at least 2.
  std::size_t max_nodes = kDefaultMaxNodes;

  static constexpr std::size_t kDefaultMaxNodes = 4096;
};

// check_config() returns std::nullopt when `config` can start an engine,
// else a one-line explanation (bad name, invalid setup, negative slack, or
// slack too large for the gap, max_nodes below 2).
[[nodiscard]] std::optional<std::string> check_config(
    const EngineConfig& config);

enum class TagState { kIdle, kPending, kTagged };

// NodeInfo is what the engine knows about one node name.
struct NodeInfo {
  Value value;         // last value seen (null if none)
  Time last_seen = 0;  // engine time of its last message (0: never heard)
  Time heard = 0;      // last message, or last accepted chain it was in
};

// Counters are running totals since the engine was made.
struct Counters {
  std::uint64_t received = 0;  // payloads and messages handed to receive()
  std::uint64_t accepted = 0;  // of those, valid and used
  std::uint64_t sent = 0;      // messages popped by pop_message()
  std::uint64_t echoes = 0;    // own messages seen again, ignored
  std::array<std::uint64_t, static_cast<int>(DropReason::kCount)> dropped{};
  std::uint64_t names_forgotten = 0;  // names expired, or evicted when full
  std::uint64_t names_refused = 0;    // new names not kept: the table was full

  std::uint64_t dropped_total() const;
};

class Engine {
 public:
  // Engine() requires check_config(config) to have passed.
  explicit Engine(EngineConfig config);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;

  // start() joins the group: it queues `init` and `vers` and listens for a
  // running chain before starting one (PROTOCOL section 8). Call once.
  void start(Time now);

  // receive() takes one payload from the channel. It returns kNone when the
  // message was valid (whether or not it changed anything), else why it was
  // dropped; drops are also counted in counters(). Never throws.
  [[nodiscard]] DropReason receive(std::string_view payload, Time now);

  // receive() takes an already decoded message, as a simulator or a caller
  // that had to decode first would pass it.
  [[nodiscard]] DropReason receive(const Message& message, Time now);

  // advance() runs every timer due at or before `now`. Call it whenever
  // now >= next_deadline(); calling it more often is harmless.
  void advance(Time now);

  // next_deadline() is the engine time of the next timer, or kNever.
  [[nodiscard]] Time next_deadline() const;

  // pop_message() takes the next message to broadcast, in order.
  std::optional<Message> pop_message();

  // pop_event() takes the next event to report, in order.
  std::optional<Event> pop_event();

  // announce() queues an `init` again, so that nodes that lost their
  // memory of this one (a restarted broker plugin, say) learn it exists.
  // Call it after the transport reconnects: a node off the chain, or one
  // not ready, may otherwise stay silent for many cycles. Other nodes only
  // note the name; nothing else changes. No-op before start(), for a
  // passive node, and while clashing.
  void announce(Time now);

  // set_value() changes this node's value; null makes it not ready. It takes
  // effect with the node's next beacon.
  void set_value(Value value, Time now);

  const std::string& name() const;
  const Setup& setup() const;
  const Value& value() const;
  bool enabled() const;

  // history() is the node's view of the chain, most recent sender first.
  // A passive node (enabled false) keeps an unbounded view instead: every
  // node it has seen on the chain, most recent first, so that it mirrors
  // the group; the chain itself is its prefix.
  const std::vector<std::string>& history() const;

  TagState tag_state() const;

  // nodes() is the node names seen in messages, this node included. A
  // name not heard from (as a sender or as a member of an accepted chain)
  // for name_lifetime() is forgotten, unless it is in this node's view of
  // the chain; at most config max_nodes names are kept. When the table is
  // full a new name is refused, except a member of an accepted chain,
  // which evicts the name heard least recently.
  const std::unordered_map<std::string, NodeInfo>& nodes() const;

  // isolated() is true while no other node's beacon has been heard for
  // cycle + 3 * gap. The clock starts at start(), at each beacon from
  // another node, and again at this node's first beacon after either (when
  // it knows of another node): after speaking, a connected node always
  // hears an answer within cycle + 2 * gap plus a delivery.
  bool isolated() const;

  // clashing() is true while this node gives way to another with its name;
  // it then sends nothing.
  bool clashing() const;

  const Counters& counters() const;

  // name_lifetime() is how long an unheard name is kept:
  // max(nodes + n_hosts, 4) * (cycle + 2 * gap) of the current setup. A
  // chain member speaks about once per chain length cycles and an outsider
  // tries about once per n_hosts cycles, so live names are heard well
  // within it. Names are swept every half of it, so a name goes between
  // 1 and 1.5 lifetimes after it was last heard.
  Time name_lifetime() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace asyncactor
