// hooks.cpp: see hooks.hpp.
#include "hooks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <cstring>

#include "log.hpp"

extern char** environ;

namespace asyncactor::client {

namespace {

const char* kind_name(HookRunner::Kind kind) {
  switch (kind) {
    case HookRunner::kTag:
      return "tag";
    case HookRunner::kUntag:
      return "untag";
    case HookRunner::kDetag:
      return "detag";
  }
  return "?";
}

bool ours(const char* entry) {
  return std::strncmp(entry, "ASYNCACTOR_", 11) == 0;
}

// Spawn wraps the posix_spawn attributes a hook needs: its own process
// group, default signal handling and an empty signal mask.
class Spawn {
 public:
  Spawn() {
    posix_spawnattr_init(&attr_);
    posix_spawn_file_actions_init(&files_);
    sigset_t none;
    sigset_t defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGCHLD, SIGHUP})
      sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setpgroup(&attr_, 0);
    posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP |
                                         POSIX_SPAWN_SETSIGMASK |
                                         POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_addopen(&files_, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&files_, 2, 1);
  }
  ~Spawn() {
    posix_spawn_file_actions_destroy(&files_);
    posix_spawnattr_destroy(&attr_);
  }
  Spawn(const Spawn&) = delete;
  Spawn& operator=(const Spawn&) = delete;

  // start() runs `/bin/sh -c command`; it returns the pid or -1 (errno
  // set).
  pid_t start(const std::string& command, std::vector<std::string>& env) {
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    char sh[] = "/bin/sh";
    char dash_c[] = "-c";
    std::string cmd = command;
    char* argv[] = {sh, dash_c, cmd.data(), nullptr};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, sh, &files_, &attr_, argv, envp.data());
    if (rc != 0) errno = rc;
    return rc == 0 ? pid : -1;
  }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t files_;
};

}  // namespace

HookRunner::HookRunner(Commands commands, std::string topic)
    : commands_(std::move(commands)), topic_(std::move(topic)) {}

std::vector<std::string> HookRunner::environment(Kind kind,
                                                 const Facts& facts) const {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (!ours(*e)) env.emplace_back(*e);
  env.push_back(std::string("ASYNCACTOR_EVENT=") + kind_name(kind));
  env.push_back("ASYNCACTOR_NODE=" + facts.node);
  env.push_back("ASYNCACTOR_VALUE=" + facts.value);
  env.push_back("ASYNCACTOR_TOPIC=" + topic_);
  env.push_back(std::string("ASYNCACTOR_CHAIN_FULL=") +
                (facts.chain_full ? "true" : "false"));
  return env;
}

void HookRunner::run(Kind kind, const Facts& facts) {
  if (kind == kDetag) stop_tag_hooks("detag");
  const std::string& command = kind == kTag     ? commands_.on_tag
                               : kind == kUntag ? commands_.on_untag
                                                : commands_.on_detag;
  if (command.empty()) return;

  std::vector<std::string> env = environment(kind, facts);
  pid_t pid = Spawn().start(command, env);
  if (pid < 0) {
    log_msg(LogLevel::kWarn, "on-%s hook could not start: %s", kind_name(kind),
            std::strerror(errno));
    return;
  }
  log_msg(LogLevel::kDebug, "on-%s hook started, pid %d", kind_name(kind),
          static_cast<int>(pid));
  children_.push_back(Child{pid, kind});
}

void HookRunner::stop_tag_hooks(const char* why) {
  for (const Child& c : children_) {
    if (c.kind != kTag) continue;
    log_msg(LogLevel::kInfo, "%s: sending SIGTERM to on-tag hook, pid %d", why,
            static_cast<int>(c.pid));
    (void)kill(-c.pid, SIGTERM);
  }
}

// tag_hooks_exited() is true when every on-tag hook has ended. It does not
// reap them: while a hook stays a zombie its pid, and so its process group
// id, cannot be reused, which keeps a later kill(-pid) on target.
bool HookRunner::tag_hooks_exited() const {
  for (const Child& c : children_) {
    if (c.kind != kTag) continue;
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(c.pid), &info,
               WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == 0)
      return false;
  }
  return true;
}

void HookRunner::stop_for_exit(double grace_s) {
  reap();
  stop_tag_hooks("exiting");
  timespec step{0, 20 * 1000 * 1000};
  for (double waited = 0; waited < grace_s && !tag_hooks_exited();
       waited += 0.02)
    nanosleep(&step, nullptr);

  for (const Child& c : children_) {
    if (c.kind != kTag) continue;
    siginfo_t info{};
    bool alive = waitid(P_PID, static_cast<id_t>(c.pid), &info,
                        WEXITED | WNOHANG | WNOWAIT) == 0 &&
                 info.si_pid == 0;
    if (alive)
      log_msg(LogLevel::kWarn,
              "on-tag hook, pid %d, still running %.1f s after SIGTERM: "
              "sending SIGKILL",
              static_cast<int>(c.pid), grace_s);
    // The whole group: a hook's own children may outlive the shell.
    (void)kill(-c.pid, SIGKILL);
    int status = 0;
    (void)waitpid(c.pid, &status, 0);
  }
  std::vector<Child> rest;
  for (const Child& c : children_)
    if (c.kind != kTag) rest.push_back(c);
  children_ = std::move(rest);
}

void HookRunner::reap() {
  for (auto it = children_.begin(); it != children_.end();) {
    int status = 0;
    pid_t done = waitpid(it->pid, &status, WNOHANG);
    if (done == 0) {
      ++it;
      continue;
    }
    if (done < 0) {
      log_msg(LogLevel::kWarn, "on-%s hook, pid %d: %s", kind_name(it->kind),
              static_cast<int>(it->pid), std::strerror(errno));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      log_msg(LogLevel::kWarn, "on-%s hook, pid %d, exited with status %d",
              kind_name(it->kind), static_cast<int>(it->pid),
              WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
      log_msg(LogLevel::kWarn, "on-%s hook, pid %d, killed by signal %d",
              kind_name(it->kind), static_cast<int>(it->pid), WTERMSIG(status));
    }
    it = children_.erase(it);
  }
}

}  // namespace asyncactor::client
