// hostile_test.cpp: asyncactor-client against peers that misbehave on the
// group topic: retained forgeries, names that try to forge output lines,
// and floods of junk. A plain mosquitto (no plugin) carries the topic.
#include <criterion/criterion.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "client_util.hpp"

using aatest::Broker;
using aatest::Process;
using namespace clienttest;

namespace {

const char* const kTopic = "asyncactor/main";  // the client's default

// has_text() is true when some line read so far contains `word`.
bool has_text(const std::vector<Line>& lines, const std::string& word) {
  for (const Line& l : lines)
    if (l.text.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

Test(hostile, a_retained_forged_ping_is_not_replayed_to_a_joining_client) {
  Broker broker(plain_broker());
  {
    aatest::Subscriber pub(broker.port(), "unused/#");
    cr_assert(pub.publish(kTopic,
                          "{\"t\":\"ping\",\"node\":\"retghost\",\"value\":"
                          "100,\"history\":[\"retghost\",\"brk\"]}",
                          true),
              "could not store the retained forgery");
    // The retained copy is really there for ordinary subscribers.
    aatest::Subscriber check(broker.port(), kTopic);
    auto got = check.next(3.0);
    cr_assert(got && got->retained, "the broker kept no retained message");
  }
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a"));
  std::vector<Line> seen;
  cr_assert(wait_event(a, "tag", kFirstTagS, &seen, "a"), "no tag\n%s%s",
            describe(seen).c_str(), a.stderr_text().c_str());
  // Another cycle and a half for anything replayed to show up.
  (void)wait_event(a, "never-such-event", 1.5 * kCycle, &seen);
  cr_expect(!has_text(seen, "retghost"), "the forgery was used:\n%s",
            describe(seen).c_str());
  cr_expect(!has_text(seen, "\"event\":\"recover\""),
            "a recover followed the forgery:\n%s", describe(seen).c_str());
}

Test(hostile, a_name_with_a_newline_cannot_forge_a_text_line) {
  Broker broker(plain_broker());
  std::vector<std::string> args = {aatest::client_path(), "--port",
                                   std::to_string(broker.port()), "--name",
                                   "a", "--cycle", std::to_string(kCycle),
                                   "--gap", std::to_string(kGap)};
  Process a = Process::spawn(args);
  aatest::Subscriber pub(broker.port(), "unused/#");
  const std::string evil = "x\\n2026-12-04 17:00:00.000 tag FORGED\\u0007";
  const std::string ping = "{\"t\":\"ping\",\"node\":\"" + evil +
                           "\",\"value\":1,\"history\":[\"" + evil +
                           "\",\"b\"]}";
  std::vector<std::string> lines;
  bool saw_ping = false;
  double end = aatest::now_s() + 4 * kCycle;
  while (aatest::now_s() < end && !saw_ping) {
    cr_assert(pub.publish(kTopic, ping), "publish failed");
    while (auto line = a.read_line(0.5)) {
      lines.push_back(*line);
      if (line->find(" ping ") != std::string::npos) saw_ping = true;
    }
  }
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  cr_assert(saw_ping, "the forged ping was never reported:\n%s%s",
            all.c_str(), a.stderr_text().c_str());
  for (const auto& l : lines) {
    cr_expect(l.compare(0, 10, "2026-12-04") != 0 ||
                  l.find("FORGED") == std::string::npos ||
                  l.find(" ping ") != std::string::npos,
              "a forged line got through: %s", l.c_str());
    for (char c : l)
      cr_expect(static_cast<unsigned char>(c) >= 0x20 &&
                    static_cast<unsigned char>(c) < 0x7f,
                "a raw control byte 0x%02x in: %s", c & 0xff, l.c_str());
  }
  cr_expect(all.find("ping x?2026-12-04 17:00:00.000 tag FORGED?") !=
                std::string::npos,
            "the masked name is missing:\n%s", all.c_str());
}

Test(hostile, a_burst_of_junk_is_logged_once_per_reason_with_counts) {
  Broker broker(plain_broker());
  Process a = Process::spawn(client_args(mqtt(broker.port()), "a"));
  std::vector<Line> seen;
  cr_assert(wait_event(a, "tag", kFirstTagS, &seen, "a"), "no tag\n%s",
            a.stderr_text().c_str());
  aatest::Subscriber pub(broker.port(), "unused/#");
  constexpr int kJunk = 3000;
  for (int i = 0; i < kJunk; ++i) {
    std::string junk = "junk " + std::to_string(i) + " \x1b[31m not json";
    cr_assert(pub.publish(kTopic, i % 2 ? junk : std::string()),
              "publish %d failed", i);
  }
  // Let the burst arrive, then wait for the engine to keep going.
  (void)wait_event(a, "never-such-event", 2 * kCycle, &seen);
  std::string err = a.stderr_text();
  cr_expect(err.find("dropped reason=bad_json count=") != std::string::npos,
            "no bad_json warning:\n%s", err.c_str());
  cr_expect(err.find("dropped reason=empty count=") != std::string::npos,
            "no warning about empty payloads:\n%s", err.c_str());
  // One line per reason in the window (plus the start-up lines), not one
  // per message, and no payload (with its escape byte) at the default level.
  cr_expect(err.size() < 2000, "stderr has %zu bytes:\n%.3000s", err.size(),
            err.c_str());
  cr_expect(err.find("junk") == std::string::npos &&
                err.find('\x1b') == std::string::npos,
            "a payload reached stderr:\n%s", err.c_str());
  cr_expect(a.running(), "the client died under the burst");
}
