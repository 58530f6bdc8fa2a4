// node.hpp: the glue between the protocol engine and the outside world.
//
// Node feeds the engine what the transport receives and the monotonic
// time, sends what the engine wants broadcast, prints its events and starts
// hooks. It holds no protocol logic of its own.
//
// The engine starts when the transport first comes up. After a reconnect
// it simply goes on: its state is kept, messages it produced while the link
// was down were dropped, and a long outage shows up as the engine's own
// isolated and connected events. It announces itself again with one
// `init`, so that a restarted broker plugin lists it at once.
//
//   Node node(config, transport, hooks, /*json=*/true);
//   transport.service(fds, now);   // calls node.on_payload() etc.
//   node.step(mono_now());
//   if (node.exit_code()) stop;
#pragma once

#include <optional>

#include "asyncactor/engine.hpp"
#include "drop_log.hpp"
#include "hooks.hpp"
#include "transport.hpp"

namespace asyncactor::client {

// Exit code after a name clash in which this node must give way.
inline constexpr int kExitClash = 3;

class Node : public TransportListener {
 public:
  // Node() requires asyncactor::check_config(config) to have passed.
  Node(asyncactor::EngineConfig config, Transport& transport, HookRunner& hooks,
       bool json);

  void on_link_up() override;
  void on_link_down() override;
  void on_payload(std::string_view payload) override;
  void on_retained(std::string_view payload) override;

  // step() runs the engine's due timers, broadcasts its messages and
  // reports its events.
  void step(asyncactor::Time now);

  // next_deadline() is when step() must run next, or kNever.
  [[nodiscard]] asyncactor::Time next_deadline() const;

  // exit_code() is set when the client must stop: kExitClash after a name
  // clash that this node must yield.
  [[nodiscard]] std::optional<int> exit_code() const { return exit_code_; }

 private:
  void flush(asyncactor::Time now);
  void report(const asyncactor::Event& event, asyncactor::Time now);
  void run_hook(const asyncactor::Event& event);
  void on_clash(const asyncactor::Event& event);

  asyncactor::Engine engine_;
  Transport& transport_;
  HookRunner& hooks_;
  bool json_;
  DropLog drops_;
  bool started_ = false;
  std::optional<int> exit_code_;
};

}  // namespace asyncactor::client
