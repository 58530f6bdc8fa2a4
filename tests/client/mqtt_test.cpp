// mqtt_test.cpp: asyncactor-client on a plain mosquitto (no plugin).
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Broker;
using aatest::Process;
using namespace clienttest;

Test(mqtt, a_lone_client_tags_itself_and_prints_json_tag_and_untag) {
  Broker broker(plain_broker());
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a",
                                         {"--value", "5"}));
  std::vector<Line> seen;
  auto tag = wait_event(a, "tag", kFirstTagS, &seen, "a");
  cr_assert(tag, "no tag event\n%s%s", describe(seen).c_str(),
            a.stderr_text().c_str());
  cr_expect(tag->text.find("\"value\":5") != std::string::npos, "%s",
            tag->text.c_str());
  cr_expect(tag->text.find("\"chain_full\"") != std::string::npos, "%s",
            tag->text.c_str());
  auto untag = wait_event(a, "untag", 2 * kCycle, &seen, "a");
  cr_assert(untag, "no untag\n%s", describe(seen).c_str());
  double held = untag->time - tag->time;
  cr_expect(held > kCycle - kGap && held < kCycle + kGap,
            "tag held %.3f s", held);
}

Test(mqtt, the_on_tag_hook_runs_with_its_environment) {
  Broker broker(plain_broker());
  std::string dir = aatest::make_temp_dir();
  std::string file = dir + "/tag.txt";
  std::string hook = "printf '%s|%s|%s|%s|%s' \"$ASYNCACTOR_EVENT\" "
                     "\"$ASYNCACTOR_NODE\" \"$ASYNCACTOR_VALUE\" "
                     "\"$ASYNCACTOR_TOPIC\" \"$ASYNCACTOR_CHAIN_FULL\" > " +
                     file;
  Process a = Process::spawn(client_args(
      mqtt(broker.port()), "hooked",
      {"--value", "7", "--topic", "t/hook", "--on-tag", hook}));
  std::vector<Line> seen;
  cr_assert(wait_event(a, "tag", kFirstTagS, &seen), "no tag\n%s",
            a.stderr_text().c_str());
  cr_assert(wait_file(file, 3.0), "the hook wrote nothing: %s",
            a.stderr_text().c_str());
  std::string got = read_file(file);
  cr_expect(got == "tag|hooked|7|t/hook|false" ||
                got == "tag|hooked|7|t/hook|true",
            "hook saw '%s'", got.c_str());
}

Test(mqtt, a_failing_hook_is_logged_and_the_client_carries_on) {
  Broker broker(plain_broker());
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a",
                                         {"--on-tag", "exit 3"}));
  std::vector<Line> seen;
  cr_assert(wait_event(a, "tag", kFirstTagS, &seen), "no first tag");
  cr_assert(wait_event(a, "tag", 2 * kCycle, &seen), "no second tag\n%s",
            a.stderr_text().c_str());
  std::string err = a.stderr_text();
  cr_expect(err.find("warn") != std::string::npos &&
                err.find("on-tag hook") != std::string::npos &&
                err.find("status 3") != std::string::npos,
            "no warning about the hook: %s", err.c_str());
  cr_expect(a.running());
}

Test(mqtt, the_client_reconnects_after_the_broker_restarts) {
  Broker broker(plain_broker());
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a",
                                         {"--topic", "t/re"}));
  std::vector<Line> seen;
  cr_assert(wait_event(a, "tag", kFirstTagS, &seen), "no tag before");
  broker.stop(SIGKILL);
  usleep(1500000);
  cr_assert(a.running(), "client died with the broker: %s",
            a.stderr_text().c_str());
  cr_assert(broker.start(), "broker did not restart");

  aatest::Subscriber sub(broker.port(), "t/re");
  auto ping = sub.wait_for(4 * kCycle, [](const auto& m) {
    return m.payload.find("\"ping\"") != std::string::npos;
  });
  cr_expect(ping, "no beacon after the restart: %s", a.stderr_text().c_str());
  std::string err = a.stderr_text();
  cr_expect(err.find("lost connection") != std::string::npos, "%s",
            err.c_str());
  cr_expect(a.running());
}

Test(mqtt, a_second_client_with_the_same_name_exits_3) {
  Broker broker(plain_broker());
  Process first = Process::spawn(client_args(mqtt(broker.port()), "twin"));
  std::vector<Line> seen;
  cr_assert(wait_event(first, "tag", kFirstTagS, &seen), "no tag");
  Process second = Process::spawn(client_args(mqtt(broker.port()), "twin"));
  auto code = second.wait_exit(3 * kCycle);
  cr_assert(code, "the second twin kept running: %s",
            second.stderr_text().c_str());
  cr_expect_eq(*code, 3, "exit code %d", *code);
  std::string err = second.stderr_text();
  cr_expect(err.find("already using the name twin") != std::string::npos,
            "%s", err.c_str());
  cr_expect(first.running(), "the first twin stopped: %s",
            first.stderr_text().c_str());
}

Test(mqtt, two_clients_take_turns) {
  Broker broker(plain_broker());
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a",
                                         {"--value", "1"}));
  Process b = Process::spawn(client_args(mqtt(broker.port()), "b",
                                         {"--value", "2"}));
  std::vector<Line> seen_a, seen_b;
  cr_expect(wait_event(a, "tag", 6 * kCycle, &seen_a), "a never tagged\n%s",
            describe(seen_a).c_str());
  cr_expect(wait_event(b, "tag", 6 * kCycle, &seen_b), "b never tagged\n%s",
            describe(seen_b).c_str());
}

namespace {

// hook_pid() waits for the pid an on-tag hook wrote to `file`.
pid_t hook_pid(const std::string& file) {
  if (!wait_file(file, kFirstTagS)) return -1;
  usleep(100000);  // the whole line
  return static_cast<pid_t>(std::atoi(read_file(file).c_str()));
}

// gone_within() waits up to `timeout_s` for process `pid` to disappear.
bool gone_within(pid_t pid, double timeout_s) {
  double end = aatest::now_s() + timeout_s;
  do {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    usleep(50000);
  } while (aatest::now_s() < end);
  return false;
}

// run_hook_then_stop() starts a client whose on-tag hook is `hook` (which
// writes its pid to a file), stops the client with SIGTERM once the hook
// runs and returns the hook's pid; the client's stderr goes to `err`.
pid_t run_hook_then_stop(const std::string& hook_body, std::string* err,
                         int* code) {
  Broker broker(plain_broker());
  std::string file = aatest::make_temp_dir() + "/hook.pid";
  std::string hook = "echo $$ > " + file + "; " + hook_body;
  Process a = Process::spawn(
      client_args(mqtt(broker.port()), "worker", {"--on-tag", hook}));
  pid_t pid = hook_pid(file);
  if (pid <= 0) {
    *err = a.stderr_text();
    return -1;
  }
  a.send_signal(SIGTERM);
  auto exit = a.wait_exit(5.0);
  *code = exit ? *exit : -1;
  *err = a.stderr_text();
  return pid;
}

}  // namespace

// The node holds no tag once it exits, so its on-tag work must stop.
Test(mqtt, a_running_on_tag_hook_is_stopped_when_the_client_exits) {
  std::string err;
  int code = 0;
  pid_t pid = run_hook_then_stop("exec sleep 30", &err, &code);
  cr_assert(pid > 0, "the hook never ran: %s", err.c_str());
  bool gone = gone_within(pid, 2.0);
  if (!gone) kill(pid, SIGKILL);
  cr_expect(gone, "the on-tag hook outlived the client: %s", err.c_str());
  cr_expect_eq(code, 0, "exit code %d", code);
  cr_expect(err.find("exiting: sending SIGTERM to on-tag hook, pid " +
                     std::to_string(pid)) != std::string::npos,
            "%s", err.c_str());
}

Test(mqtt, an_on_tag_hook_that_ignores_sigterm_is_killed_on_exit) {
  std::string err;
  int code = 0;
  pid_t pid = run_hook_then_stop("trap '' TERM; sleep 30; sleep 30", &err,
                                 &code);
  cr_assert(pid > 0, "the hook never ran: %s", err.c_str());
  bool gone = gone_within(pid, 2.0);
  if (!gone) kill(-pid, SIGKILL);
  cr_expect(gone, "the on-tag hook outlived the client: %s", err.c_str());
  cr_expect_eq(code, 0, "exit code %d", code);
  cr_expect(err.find("sending SIGKILL") != std::string::npos, "%s",
            err.c_str());
}
