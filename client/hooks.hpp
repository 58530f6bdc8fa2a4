// hooks.hpp: user commands run on tag, untag and detag.
//
// A hook runs as `/bin/sh -c CMD` in its own process group, without
// blocking the protocol: the client never waits for it. Its standard input
// is /dev/null and its standard output goes to the client's stderr, so that
// stdout carries nothing but events. It gets the environment of the client
// plus
//
//   ASYNCACTOR_EVENT       tag, untag or detag
//   ASYNCACTOR_NODE        this node's name
//   ASYNCACTOR_VALUE       this node's value ("null", a number or a string)
//   ASYNCACTOR_TOPIC       the topic (MQTT) or user-event name (Serf)
//   ASYNCACTOR_CHAIN_FULL  "true" or "false" (meaningful for tag)
//
// On detag, a still running on-tag hook has lost its right to work: its
// process group gets SIGTERM before the on-detag hook starts. The same
// happens when the client exits (stop_for_exit()), with SIGKILL after a
// grace period. Nothing is
// signalled on untag (the tag ended normally; the on-untag hook can do what
// it needs). A hook that fails to start or exits non-zero is logged as a
// warning; the client carries on.
//
//   HookRunner hooks({"touch /tmp/it", "", ""}, "asyncactor/main");
//   hooks.run(HookRunner::kTag, {"a", "1", true});
//   hooks.reap();   // after SIGCHLD, or now and then
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace asyncactor::client {

class HookRunner {
 public:
  enum Kind { kTag, kUntag, kDetag };

  // Commands holds one shell command per kind; empty means none.
  struct Commands {
    std::string on_tag;
    std::string on_untag;
    std::string on_detag;
  };

  // Facts are what a hook is told about the event.
  struct Facts {
    std::string node;
    std::string value;
    bool chain_full = false;
  };

  HookRunner(Commands commands, std::string topic);

  // run() handles one event of `kind`: on detag it signals running on-tag
  // hooks, then it starts the configured command, if any.
  void run(Kind kind, const Facts& facts);

  // reap() collects every hook that has ended and logs failures. It never
  // blocks.
  void reap();

  // stop_for_exit() runs when the client exits: the node no longer holds
  // the tag, so every on-tag hook still running gets SIGTERM (to its process
  // group), and SIGKILL if it is still there after `grace_s`. It waits at
  // most that long plus a moment and reaps what it stopped. On-untag and
  // on-detag hooks are left to finish: they are the clean-up.
  void stop_for_exit(double grace_s);

  // running() is the number of hooks not yet reaped.
  [[nodiscard]] std::size_t running() const { return children_.size(); }

 private:
  struct Child {
    pid_t pid;
    Kind kind;
  };

  void stop_tag_hooks(const char* why);
  [[nodiscard]] bool tag_hooks_exited() const;
  [[nodiscard]] std::vector<std::string> environment(Kind kind,
                                                     const Facts& facts) const;

  Commands commands_;
  std::string topic_;
  std::vector<Child> children_;
};

}  // namespace asyncactor::client
