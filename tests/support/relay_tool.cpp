// relay_tool.cpp: aatest-relay, the harness's Relay as a program, so that
// a shell script (scripts/demo.sh --split) can cut a link and restore it.
//
//   aatest-relay LISTEN_PORT TARGET_PORT
//
// Forwards 127.0.0.1:LISTEN_PORT to 127.0.0.1:TARGET_PORT. SIGUSR1 cuts the
// link (every forwarded connection closed, new ones refused), SIGUSR2
// restores it, SIGTERM or SIGINT ends the relay. Each change is one line on
// stdout.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "harness.hpp"

namespace {

int port_arg(const char* text) {
  char* end = nullptr;
  long port = std::strtol(text, &end, 10);
  if (*end != '\0' || port < 1 || port > 65535) return 0;
  return static_cast<int>(port);
}

}  // namespace

int main(int argc, char** argv) {
  int listen_port = argc == 3 ? port_arg(argv[1]) : 0;
  int target_port = argc == 3 ? port_arg(argv[2]) : 0;
  if (!listen_port || !target_port) {
    std::fprintf(stderr, "usage: aatest-relay LISTEN_PORT TARGET_PORT\n");
    return 2;
  }

  // Block the signals before the relay's thread starts, so that only
  // sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  for (int sig : {SIGUSR1, SIGUSR2, SIGTERM, SIGINT}) sigaddset(&signals, sig);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    aatest::Relay relay(target_port, listen_port);
    std::printf("relay: 127.0.0.1:%d -> 127.0.0.1:%d\n", listen_port,
                target_port);
    std::fflush(stdout);
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) return 1;
      if (sig == SIGUSR1) {
        relay.cut();
        std::printf("relay: link cut\n");
      } else if (sig == SIGUSR2) {
        std::printf(relay.restore() ? "relay: link restored\n"
                                    : "relay: cannot listen again\n");
      } else {
        return 0;
      }
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aatest-relay: %s\n", e.what());
    return 1;
  }
}
