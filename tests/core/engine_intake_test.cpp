// engine_intake_test.cpp: what the engine does with each payload: invalid
// ones are dropped and counted, never fatal; valid ones are reported as raw
// events when asked (PROTOCOL 4 and 10).
#include <criterion/criterion.h>

#include "fake_net.hpp"

using namespace aatest;

namespace {

Engine running(bool raw) {
  EngineConfig c;
  c.name = "me";
  c.setup = fast_setup();
  c.value = Value::number(1);
  c.raw = raw;
  Engine e(c);
  e.start(0);
  while (e.pop_message()) {
  }
  return e;
}

std::vector<Event> drain(Engine& e) {
  std::vector<Event> out;
  while (auto ev = e.pop_event()) out.push_back(*ev);
  return out;
}

}  // namespace

Test(engine_intake, bad_payloads_are_dropped_and_counted) {
  Engine e = running(true);
  cr_expect(e.receive("not json", 0.1) == DropReason::kBadJson);
  cr_expect(e.receive("[1,2]", 0.2) == DropReason::kNotObject);
  cr_expect(e.receive(R"({"t":"ping","node":"x","value":1,)"
                      R"("history":["y"]})",
                      0.3) == DropReason::kInconsistent);
  cr_expect_eq(e.counters().received, 3u);
  cr_expect_eq(e.counters().accepted, 0u);
  cr_expect_eq(e.counters().dropped_total(), 3u);
  cr_expect(drain(e).empty(), "a dropped payload was reported");
  cr_expect(e.history().empty());
}

Test(engine_intake, every_valid_message_is_a_raw_event_when_asked) {
  Engine e = running(true);
  cr_assert(e.receive(R"({"t":"init","node":"x"})", 0.1) == DropReason::kNone);
  cr_assert(e.receive(R"({"t":"hist","value":1,"history":["y","x"]})", 0.2) ==
            DropReason::kNone);
  std::vector<Event> raws;
  for (const auto& ev : drain(e))
    if (ev.type == EventType::kRaw) raws.push_back(ev);
  cr_assert_eq(raws.size(), 2u);
  cr_expect_eq(raws[0].node, "x");
  cr_expect(raws[0].raw.type == MessageType::kInit);
  cr_expect_eq(raws[1].node, "", "a hist has no sender");
  cr_expect(raws[1].raw.history == (std::vector<std::string>{"y", "x"}));
}

Test(engine_intake, raw_events_are_off_by_default) {
  Engine e = running(false);
  cr_assert(e.receive(R"({"t":"init","node":"x"})", 0.1) == DropReason::kNone);
  for (const auto& ev : drain(e)) cr_expect(ev.type != EventType::kRaw);
}
