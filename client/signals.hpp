// signals.hpp: SIGINT, SIGTERM, SIGHUP and SIGCHLD as readable bytes
// (self-pipe). SIGHUP stops the client like SIGTERM: it has no
// configuration file to reload, and a hang-up means its terminal is gone.
//
// The handlers only write the signal number to a non-blocking pipe; the
// event loop polls signal_fd() and calls drain_signals(). SIGPIPE is
// ignored so that a vanished peer shows up as an error code instead.
//
//   if (!install_signal_pipe()) fail;
//   poll signal_fd() with the other descriptors;
//   SignalsSeen seen = drain_signals();
//   if (seen.stop) exit cleanly;
#pragma once

namespace asyncactor::client {

// install_signal_pipe() sets up the pipe and the handlers; false (errno
// set) if that failed. Call once.
[[nodiscard]] bool install_signal_pipe();

// signal_fd() is the read end of the pipe, to poll for POLLIN.
[[nodiscard]] int signal_fd();

// SignalsSeen says which signals arrived since the last drain.
struct SignalsSeen {
  bool stop = false;   // SIGINT, SIGTERM or SIGHUP
  bool child = false;  // SIGCHLD
  int stop_signal = 0;
};

// drain_signals() empties the pipe without blocking.
[[nodiscard]] SignalsSeen drain_signals();

}  // namespace asyncactor::client
