// event_loop.hpp: the client's single thread.
//
// run_event_loop() polls the signal pipe and the transport's sockets until
// the nearest deadline of the engine or the transport, then lets the
// transport handle its I/O and the node run the engine:
//
//   transport.start(mono_now());
//   return run_event_loop(node, transport, hooks);
//
// Time comes from CLOCK_MONOTONIC only. Deadlines are rounded up to the
// next millisecond, so the loop never spins waiting for one.
#pragma once

#include "hooks.hpp"
#include "node.hpp"
#include "transport.hpp"

namespace asyncactor::client {

// run_event_loop() returns the process exit code: 0 after SIGINT or SIGTERM
// (the transport is stopped cleanly first), or the node's exit code.
// install_signal_pipe() must have succeeded.
[[nodiscard]] int run_event_loop(Node& node, Transport& transport,
                                 HookRunner& hooks);

}  // namespace asyncactor::client
