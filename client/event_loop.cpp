// event_loop.cpp: see event_loop.hpp.
#include "event_loop.hpp"

#include <poll.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "clock.hpp"
#include "log.hpp"
#include "signals.hpp"

namespace asyncactor::client {

namespace {

// Longest single wait, so a lost SIGCHLD cannot leave a hook unreaped.
constexpr double kMaxWaitS = 1.0;

int timeout_ms(asyncactor::Time deadline, asyncactor::Time now) {
  double wait = deadline - now;
  if (wait <= 0) return 0;
  if (wait > kMaxWaitS) wait = kMaxWaitS;
  return static_cast<int>(std::ceil(wait * 1000));
}

// wait_for_input() polls until input or the deadline; it returns the
// descriptors with their results (the signal pipe first).
std::vector<pollfd> wait_for_input(const Transport& transport,
                                   asyncactor::Time deadline) {
  std::vector<pollfd> fds;
  fds.push_back(pollfd{signal_fd(), POLLIN, 0});
  transport.add_poll_fds(fds);
  int rc = poll(fds.data(), fds.size(), timeout_ms(deadline, mono_now()));
  if (rc < 0 && errno != EINTR)
    log_msg(LogLevel::kError, "poll: %s", std::strerror(errno));
  if (rc <= 0)
    for (pollfd& p : fds) p.revents = 0;
  return fds;
}

}  // namespace

int run_event_loop(Node& node, Transport& transport, HookRunner& hooks) {
  for (;;) {
    asyncactor::Time deadline = node.next_deadline();
    if (transport.next_deadline() < deadline)
      deadline = transport.next_deadline();
    std::vector<pollfd> fds = wait_for_input(transport, deadline);

    SignalsSeen seen;
    if (fds[0].revents & POLLIN) seen = drain_signals();
    if (seen.stop) {
      log_msg(LogLevel::kInfo, "signal %d: stopping", seen.stop_signal);
      transport.stop();
      return 0;
    }
    if (seen.child || hooks.running() > 0) hooks.reap();
    transport.service(fds, mono_now());
    if (transport.gave_up()) return kExitRefused;
    node.step(mono_now());
    if (auto code = node.exit_code()) {
      transport.stop();
      return *code;
    }
  }
}

}  // namespace asyncactor::client
