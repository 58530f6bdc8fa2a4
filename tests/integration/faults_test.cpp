// faults_test.cpp: what the group does when the broker or a client is hurt.
// A real mosquitto with the plugin and real asyncactor-client processes,
// cycle 2 s and gap 0.4 s.
#include <criterion/criterion.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "group.hpp"

using namespace aatest;

namespace {

void start_three(ClientGroup& group) {
  group.add("a", "1");
  group.add("b", "2");
  group.add("c", "3");
}

// start_rotating() waits for the first tag, then lets the group run.
void start_rotating(ClientGroup& group, double cycles) {
  auto first = group.wait_event("tag", 8 * kCycle);
  cr_assert(first, "no client was tagged within 8 cycles\n%s",
            group.describe().c_str());
  group.run_for(cycles * kCycle);
}

std::string first_overlap(const std::vector<TagInterval>& intervals) {
  auto bad = ClientGroup::overlaps(intervals);
  return bad.empty() ? "" : bad[0];
}

}  // namespace

Test(faults, broker_killed_and_restarted_one_tag_again_within_two_cycles) {
  const std::string topic = "it/broker-kill";
  Broker broker(group_broker_options(topic));
  ClientGroup group(broker.port(), topic);
  start_three(group);
  start_rotating(group, 2);

  broker.stop(SIGKILL);
  // Down long enough for every client to notice and fall back to a chain
  // of its own: each then runs alone, tagged every cycle.
  group.run_for(kCycle);
  cr_assert(broker.start(), "mosquitto did not start again on port %d\n%s",
            broker.port(), broker.log().c_str());
  double back = wall_s();
  double healed = back + 2 * kCycle;
  double healed_mono = now_s() + 2 * kCycle;
  Subscriber leader(broker.port(), topic + "/leader");
  group.run_for(2 * kCycle + 4 * kCycle);

  // Every client is back in the group: it hears the others' beacons.
  for (const char* name : {"a", "b", "c"}) {
    bool hears = false;
    for (const auto& e : group.events_of(name))
      hears |= e.event == "ping" && e.time >= back && e.node != name;
    cr_expect(hears,
              "client %s heard no beacon after the broker came back"
              "\n%s",
              name, group.describe().c_str());
  }

  // From two cycles after the broker's return, one tag at a time, the
  // restarted plugin's own turns included, and the tag goes round.
  auto leaders = drain(leader);
  auto all = group.tag_intervals();
  auto own = broker_tags(leaders, "broker");
  all.insert(all.end(), own.begin(), own.end());
  std::string bad = first_overlap(ClientGroup::clip(all, healed, wall_s()));
  cr_expect(bad.empty(),
            "two nodes tagged at once more than two cycles after the "
            "broker came back: %s\n%s",
            bad.c_str(), group.describe().c_str());
  int tags = 0;
  for (const auto& e : group.events())
    tags += e.event == "tag" && e.time >= healed;
  cr_expect(tags >= 2,
            "only %d client tags in the 4 cycles after the heal"
            "\n%s",
            tags, group.describe().c_str());

  cr_assert(!leaders.empty(), "the restarted broker has no leader topic");
  int named = 0;
  for (const auto& m : leaders) {
    if (m.at < healed_mono) continue;
    std::string node = json_field(m.payload, "node");
    named += node != "<null>";
    cr_expect(node == "a" || node == "b" || node == "c" || node == "broker" ||
                  node == "<null>",
              "the restarted broker's leader topic: %s", m.payload.c_str());
  }
  cr_expect(named >= 2,
            "the restarted broker named only %d leaders in "
            "the 4 cycles after the heal",
            named);
}

// With a chain of two and five members, three clients are outsiders that
// almost never speak (a full chain lets an outsider try about once per
// n_hosts cycles). A restarted broker forgets them all; each client
// announces itself when its connection comes back, so the broker's
// topology lists every one of them online at once, not when it next talks.
Test(faults, a_restarted_broker_lists_silent_members_at_once) {
  const std::string topic = "it/broker-forgets";
  Broker::Options o = group_broker_options(topic);
  o.plugin_options.push_back({"nodes", "2"});
  o.plugin_options.push_back({"splits", "2"});
  Broker broker(o);
  ClientGroup group(broker.port(), topic);
  const std::vector<std::string> names = {"a", "b", "c", "d"};
  for (std::size_t i = 0; i < names.size(); ++i)
    group.add(names[i], std::to_string(i + 1),
              {"--nodes", "2", "--splits", "2"});
  start_rotating(group, 2);

  broker.stop(SIGKILL);
  group.run_for(0.5);
  cr_assert(broker.start(), "mosquitto did not start again on port %d\n%s",
            broker.port(), broker.log().c_str());
  Subscriber topology(broker.port(), topic + "/topology");
  // Clients retry after a short back-off; give them a cycle and a half.
  std::string seen = "(no topology)";
  auto all_online = topology.wait_for(1.5 * kCycle + 2.0, [&](const auto& m) {
    seen = m.payload;
    auto online = online_nodes(m.payload);
    return std::all_of(names.begin(), names.end(), [&](const auto& n) {
      return std::find(online.begin(), online.end(), n) != online.end();
    });
  });
  cr_expect(all_online,
            "the restarted broker did not list every client online: %s\n%s",
            seen.c_str(),
            group.describe().c_str());
}

Test(faults, a_suspended_tagged_client_drops_its_stale_tag_at_once) {
  const std::string topic = "it/sigstop";
  Broker broker(group_broker_options(topic));
  ClientGroup group(broker.port(), topic);
  start_three(group);
  start_rotating(group, 2);

  Subscriber leader(broker.port(), topic + "/leader");
  // Stop a client while its tag has most of its time left, so that the
  // tag is stale when the client wakes three cycles later.
  std::optional<ClientEvent> tag;
  for (int tries = 0; tries < 5 && !tag; ++tries) {
    tag = group.wait_event("tag", 4 * kCycle);
    cr_assert(tag, "no client tagged\n%s", group.describe().c_str());
    if (wall_s() - tag->time > kCycle / 4) tag.reset();
  }
  cr_assert(tag, "the test never saw a tag in time to stop its holder");
  const std::string victim = tag->client;
  group.process(victim).send_signal(SIGSTOP);
  double stopped = wall_s();
  group.run_for(3 * kCycle);
  double resumed = wall_s();
  group.process(victim).send_signal(SIGCONT);
  group.run_for(3 * kCycle);

  // The precondition: it was still tagged when it stopped.
  for (const auto& e : group.events_of(victim))
    cr_assert(e.time <= tag->time || e.time > stopped,
              "%s printed %s after its tag, before it was stopped",
              victim.c_str(), e.line.c_str());

  // The others went on without it.
  int others = 0;
  for (const auto& e : group.events())
    others += e.event == "tag" && e.client != victim && e.time > stopped &&
              e.time < resumed;
  cr_expect(others >= 1, "nobody else was tagged while %s was stopped\n%s",
            victim.c_str(), group.describe().c_str());

  // On waking, the victim's first word is that its tag is gone.
  std::vector<ClientEvent> woke;
  for (const auto& e : group.events_of(victim))
    if (e.seen >= resumed) woke.push_back(e);
  cr_assert(!woke.empty(), "%s printed nothing after SIGCONT\n%s",
            victim.c_str(), group.describe().c_str());
  cr_expect(woke[0].event == "untag" || woke[0].event == "detag",
            "%s's first event after waking was %s, not untag/detag\n%s",
            victim.c_str(), woke[0].line.c_str(), group.describe().c_str());
  cr_expect(woke[0].seen - resumed <= kGap,
            "%s dropped its stale tag %.2f s after waking (limit %.2f)",
            victim.c_str(), woke[0].seen - resumed, kGap);

  // Never two tagged, the broker's own turns included. The victim's stale
  // tag counts until it was stopped: after that it could not act on it.
  auto intervals = group.tag_intervals();
  for (auto& i : intervals)
    if (i.node == victim && i.start == tag->time) i.end = stopped;
  auto own = broker_tags(drain(leader), "broker");
  intervals.insert(intervals.end(), own.begin(), own.end());
  std::string bad = first_overlap(intervals);
  cr_expect(bad.empty(), "two nodes tagged at once: %s\n%s", bad.c_str(),
            group.describe().c_str());
}

Test(faults, sighup_the_plugin_keeps_taking_part_without_a_duplicate_node) {
  const std::string topic = "it/sighup";
  Broker broker(group_broker_options(topic));
  ClientGroup group(broker.port(), topic);
  group.add("a", "1");
  group.add("b", "2");
  start_rotating(group, 2);

  Subscriber leader(broker.port(), topic + "/leader");
  drain(leader);
  broker.send_signal(SIGHUP);
  double hup = now_s();
  double hup_wall = wall_s();
  // Three nodes take turns: the broker's turn comes within three cycles.
  group.run_for(6 * kCycle);

  cr_assert(broker.running(), "mosquitto died on SIGHUP\n%s",
            broker.log().c_str());
  std::string log = broker.log();
  cr_expect(log.find("asyncactor: reload") != std::string::npos,
            "the plugin logged no reload\n%s", log.c_str());
  cr_expect(log.find("clash") == std::string::npos,
            "a name clash after the reload\n%s", log.c_str());

  auto leaders = drain(leader);
  int broker_turns = 0;
  for (const auto& m : leaders)
    broker_turns += m.at > hup && json_field(m.payload, "node") == "broker";
  cr_expect(broker_turns >= 1,
            "the broker's node was not tagged in 6 cycles after SIGHUP");
  for (const char* name : {"a", "b"}) {
    int pings = 0;
    for (const auto& e : group.events_of(name))
      pings += e.event == "ping" && e.node == "broker" && e.time > hup_wall;
    cr_expect(pings >= 1,
              "client %s never saw the broker tagged after "
              "SIGHUP\n%s",
              name, group.describe().c_str());
  }

  Subscriber topology(broker.port(), topic + "/topology");
  auto topo = topology.next(2.0);
  cr_assert(topo, "no retained topology");
  auto nodes = json_keys(topo->payload, "nodes");
  std::sort(nodes.begin(), nodes.end());
  cr_expect(nodes == std::vector<std::string>({"a", "b", "broker"}),
            "topology after SIGHUP: %s", topo->payload.c_str());
  auto chain = json_names(topo->payload, "chain");
  auto unique = chain;
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  cr_expect(unique.size() == chain.size() && !chain.empty(),
            "chain after SIGHUP: %s", topo->payload.c_str());
  auto intervals = group.tag_intervals();
  auto own = broker_tags(leaders, "broker");
  intervals.insert(intervals.end(), own.begin(), own.end());
  std::string bad = first_overlap(intervals);
  cr_expect(bad.empty(), "two nodes tagged at once: %s\n%s", bad.c_str(),
            group.describe().c_str());
}

Test(faults, a_second_client_with_the_same_name_exits_non_zero_saying_why) {
  const std::string topic = "it/clash";
  Broker broker(group_broker_options(topic));
  ClientGroup group(broker.port(), topic);
  group.add("pump", "1");
  group.add("b", "2");
  start_rotating(group, 1);

  Process second = Process::spawn(
      {client_path(), "--port", std::to_string(broker.port()), "--topic", topic,
       "--name", "pump", "--value", "5", "--cycle", std::to_string(kCycle),
       "--gap", std::to_string(kGap), "--json"});
  double started = now_s();
  std::optional<int> code;
  while (!code && now_s() - started < 3 * kCycle) {
    group.run_for(0.05);
    code = second.wait_exit(0.05);
  }
  cr_assert(code, "the second client named pump still runs after %.0f s\n%s",
            3 * kCycle, second.stderr_text().c_str());
  cr_expect(*code == 3, "the second client exited %d, not 3", *code);
  std::string err = second.stderr_text();
  std::string lower = err;
  for (auto& ch : lower) ch = static_cast<char>(tolower(ch));
  cr_expect(lower.find("already using the name pump") != std::string::npos,
            "stderr does not say that the name pump is taken: '%s'",
            err.c_str());

  bool reported = false;
  while (auto line = second.read_line(0.1))
    reported |= line->find("\"clash\"") != std::string::npos;
  for (const auto& e : group.events()) reported |= e.event == "clash";
  cr_expect(reported, "no clash event from either client named pump\n%s",
            group.describe().c_str());

  // The first one stays and keeps taking its turn.
  double gone = wall_s();
  group.run_for(4 * kCycle);
  cr_expect(group.process("pump").running(),
            "the first client named pump ended");
  int turns = 0;
  for (const auto& e : group.events_of("pump"))
    turns += e.event == "tag" && e.time > gone;
  cr_expect(turns >= 1,
            "the first pump was not tagged in 4 cycles after the "
            "clash\n%s",
            group.describe().c_str());
  std::string bad = first_overlap(group.tag_intervals());
  cr_expect(bad.empty(), "two clients tagged at once: %s", bad.c_str());
}
