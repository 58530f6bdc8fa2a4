// mqtt_test.cpp: asyncactor-client on a plain mosquitto (no plugin).
#include <criterion/criterion.h>
#include <signal.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Broker;
using aatest::Process;
using namespace clienttest;

namespace {

Broker::Options plain() {
  Broker::Options o;
  o.with_plugin = false;
  return o;
}

// Enough for a lone node to listen, speak and be tagged (PROTOCOL 8).
constexpr double kFirstTagS = 4 * kCycle;

}  // namespace

Test(mqtt, a_lone_client_tags_itself_and_prints_json_tag_and_untag) {
  Broker broker(plain());
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
  Broker broker(plain());
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
  Broker broker(plain());
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
  Broker broker(plain());
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
  Broker broker(plain());
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
  Broker broker(plain());
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
