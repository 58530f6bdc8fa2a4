// signals.cpp: see signals.hpp.
#include "signals.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace asyncactor::client {

namespace {

int g_pipe[2] = {-1, -1};

extern "C" void on_signal(int sig) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(sig);
  ssize_t ignored = write(g_pipe[1], &byte, 1);
  (void)ignored;
  errno = saved;
}

bool catch_signal(int sig) {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
  return sigaction(sig, &sa, nullptr) == 0;
}

}  // namespace

bool install_signal_pipe() {
  if (pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) return false;
  if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) return false;
  return catch_signal(SIGINT) && catch_signal(SIGTERM) &&
         catch_signal(SIGHUP) && catch_signal(SIGCHLD);
}

int signal_fd() { return g_pipe[0]; }

SignalsSeen drain_signals() {
  SignalsSeen seen;
  unsigned char buf[64];
  ssize_t n;
  while ((n = read(g_pipe[0], buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == SIGCHLD) {
        seen.child = true;
      } else {
        seen.stop = true;
        seen.stop_signal = buf[i];
      }
    }
  }
  return seen;
}

}  // namespace asyncactor::client
