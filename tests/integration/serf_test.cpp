// serf_test.cpp: the Serf back-end on real agents. Three `serf agent`
// processes clustered on loopback, one asyncactor-client on each agent's
// RPC port (--transport serf://), cycle 2 s, gap 0.4 s.
#include <criterion/criterion.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "group.hpp"

using namespace aatest;

namespace {

// Cluster is three agents that see each other, and a client on each.
struct Cluster {
  explicit Cluster(const std::string& event_name) : group(0, event_name) {
    agents.push_back(std::make_unique<SerfAgent>("serf-0"));
    int join = agents[0]->bind_port();
    agents.push_back(std::make_unique<SerfAgent>("serf-1", join));
    agents.push_back(std::make_unique<SerfAgent>("serf-2", join));
    for (auto& agent : agents)
      cr_assert(agent->wait_members(3, 10.0),
                "serf agent %s sees %zu members, not 3", agent->node().c_str(),
                agent->alive_members().size());

    const char* names[] = {"a", "b", "c"};
    for (int i = 0; i < 3; ++i)
      group.add_argv(
          names[i],
          {"--transport", agents[i]->rpc_url(), "--topic", event_name, "--name",
           names[i], "--value", std::to_string(i + 1), "--cycle",
           std::to_string(kCycle), "--gap", std::to_string(kGap), "--json"});
  }

  std::vector<std::unique_ptr<SerfAgent>> agents;
  ClientGroup group;
};

}  // namespace

Test(serf, every_client_is_tagged_in_turn_and_never_two_at_once) {
  Cluster cluster("aa-rotate");
  ClientGroup& group = cluster.group;
  auto first = group.wait_event("tag", 8 * kCycle);
  cr_assert(first, "no client was tagged within 8 cycles\n%s",
            group.describe().c_str());
  group.run_for(8 * kCycle);

  // In turn: each client tagged more than once in 8 cycles, and never
  // twice in a row (the holder of the last tag speaks last, only when
  // the others are silent).
  auto counts = group.tag_counts();
  for (const char* name : {"a", "b", "c"})
    cr_expect(counts[name] >= 2,
              "client %s was tagged %d times in 8 cycles"
              "\n%s",
              name, counts[name], group.describe().c_str());
  auto turns = group.tag_intervals();
  for (size_t i = 1; i < turns.size(); ++i)
    cr_expect(turns[i].node != turns[i - 1].node,
              "client %s was tagged twice in a row\n%s", turns[i].node.c_str(),
              group.describe().c_str());
  auto bad = ClientGroup::overlaps(group.tag_intervals());
  cr_expect(bad.empty(), "two clients tagged at once: %s\n%s",
            bad.empty() ? "" : bad[0].c_str(), group.describe().c_str());
}

Test(serf, killing_the_tagged_client_moves_the_tag_on) {
  Cluster cluster("aa-kill");
  ClientGroup& group = cluster.group;
  auto first = group.wait_event("tag", 8 * kCycle);
  cr_assert(first, "no client was tagged within 8 cycles\n%s",
            group.describe().c_str());
  group.run_for(3 * kCycle);

  auto tag = group.wait_event("tag", 4 * kCycle);
  cr_assert(tag, "no client tagged\n%s", group.describe().c_str());
  group.process(tag->client).send_signal(SIGKILL);
  double killed = wall_s();
  group.forget(tag->client);

  auto next = group.wait_event("tag", 4 * kCycle, tag->client);
  cr_assert(next, "the tag never moved on from %s\n%s", tag->client.c_str(),
            group.describe().c_str());
  double took = next->time - killed;
  cr_expect(took <= kCycle + 3 * kGap,
            "another client was tagged %.2f s after the kill (limit %.2f)\n%s",
            took, kCycle + 3 * kGap, group.describe().c_str());

  group.run_for(3 * kCycle);
  for (const char* name : {"a", "b", "c"}) {
    if (tag->client == name) continue;
    int tags = 0;
    for (const auto& e : group.events_of(name))
      tags += e.event == "tag" && e.time > killed;
    cr_expect(tags >= 1,
              "client %s was not tagged in the 4 cycles after "
              "%s was killed\n%s",
              name, tag->client.c_str(), group.describe().c_str());
  }
  auto bad = ClientGroup::overlaps(group.tag_intervals());
  cr_expect(bad.empty(), "two clients tagged at once: %s\n%s",
            bad.empty() ? "" : bad[0].c_str(), group.describe().c_str());
}
