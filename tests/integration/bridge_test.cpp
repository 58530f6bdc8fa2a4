// bridge_test.cpp: two real mosquitto brokers, each with the plugin, bridged
// for the group's topic through a relay the test cuts and restores; two
// asyncactor-client processes on each side; cycle 2 s, gap 0.4 s.
//
//   site A: broker-a (plugin), a1, a2 ---bridge--> relay ---> site B:
//           broker-b (plugin), b1, b2
//
// The bridge is config/bridge-a.conf's bridge section (docs/bridging.md
// says why each line is there), with the relay's address and the test's
// topic.
#include <criterion/criterion.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "group.hpp"

using namespace aatest;

namespace {

const std::vector<std::string> kSideA = {"broker-a", "a1", "a2"};
const std::vector<std::string> kSideB = {"broker-b", "b1", "b2"};
const std::vector<std::string> kClientsA = {"a1", "a2"};
const std::vector<std::string> kClientsB = {"b1", "b2"};

bool on_side(const std::vector<std::string>& side, const std::string& node) {
  return std::find(side.begin(), side.end(), node) != side.end();
}

Broker::Options site_options(const std::string& name, const std::string& topic,
                             const std::string& extra) {
  Broker::Options o = group_broker_options(topic);
  for (auto& [key, value] : o.plugin_options)
    if (key == "name") value = name;
  o.extra_config = extra;
  return o;
}

// bridge_lines() is the bridge section of config/bridge-a.conf, pointed at
// `port` and carrying `topic`: the test runs the configuration users get.
std::string bridge_lines(int port, const std::string& topic) {
  std::ifstream in(AATEST_CONFIG_DIR "/bridge-a.conf");
  std::ostringstream out;
  bool in_bridge = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("connection ", 0) == 0) in_bridge = true;
    if (!in_bridge || line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string key, value, rest;
    words >> key >> value;
    std::getline(words, rest);
    if (key == "address") value = "127.0.0.1:" + std::to_string(port);
    if (key == "topic") value = topic;
    out << key << " " << value << rest << "\n";
  }
  cr_assert(in_bridge, "no bridge section in %s/bridge-a.conf",
            AATEST_CONFIG_DIR);
  return out.str();
}

// plugin_lines() keeps the plugin's lines of a broker log.
std::string plugin_lines(const std::string& log) {
  std::istringstream in(log);
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (line.find("asyncactor:") != std::string::npos) out += line + "\n";
  return out;
}

// wall_of() turns a now_s() reading into unix time.
double wall_of(double mono) { return mono + (wall_s() - now_s()); }

// Sites is the whole set-up: broker B, the relay in front of it, broker A
// bridged to the relay, and the four clients.
struct Sites {
  explicit Sites(const std::string& topic_)
      : topic(topic_),
        b(site_options("broker-b", topic, "")),
        relay(b.port()),
        a(site_options("broker-a", topic, bridge_lines(relay.port(), topic))),
        bridge_state(a.port(), "$SYS/broker/connection/+/state"),
        group(a.port(), topic) {}

  // wait_bridge() waits for broker A's bridge notification ("1" up, "0"
  // down) and returns when it arrived (now_s()), or a negative number.
  double wait_bridge(bool up, double timeout_s) {
    auto m = bridge_state.wait_for(timeout_s, [&](const auto& r) {
      return r.payload == (up ? "1" : "0");
    });
    return m ? m->at : -1;
  }

  void start_clients() {
    group.add_at(a.port(), "a1", "1");
    group.add_at(a.port(), "a2", "2");
    group.add_at(b.port(), "b1", "3");
    group.add_at(b.port(), "b2", "4");
  }

  std::string logs() {
    return "broker-a log:\n" + a.log() + "broker-b log:\n" + b.log();
  }

  std::string topic;
  Broker b;
  Relay relay;
  Broker a;
  Subscriber bridge_state;
  ClientGroup group;
};

// start_joined() brings the sites up, bridged, with the clients running and
// one tag going round the whole group.
void start_joined(Sites& s) {
  cr_assert(s.wait_bridge(true, 10.0) > 0, "the bridge never came up\n%s",
            s.a.log().c_str());
  s.start_clients();
  auto first = s.group.wait_event("tag", 8 * kCycle);
  cr_assert(first, "no client tagged within 8 cycles\n%s",
            s.group.describe().c_str());
  s.group.run_for(2 * kCycle);
  auto bad = ClientGroup::overlaps(s.group.tag_intervals());
  cr_expect(bad.empty(), "bridged group: two clients tagged at once: %s\n%s",
            bad.empty() ? "" : bad[0].c_str(), s.group.describe().c_str());
}

// expect_one_side_tags() checks that no two nodes of one side (its two
// clients and its broker's own node, as its leader topic shows it) held
// the tag together, however the link went.
void expect_one_side_tags(const Sites& s,
                          const std::vector<std::string>& clients,
                          const std::vector<Subscriber::Received>& leaders,
                          const std::string& broker) {
  auto side = ClientGroup::only(s.group.tag_intervals(), clients);
  // The check must have something to check: the side's clients took
  // turns. The broker's own node joins in when it gets onto the side's
  // chain, which after a cut is likely but not certain within the window
  // (an outsider tries its early slot with probability 1/outsiders).
  cr_expect(side.size() >= 3, "%s's side: its clients held only %zu tags",
            broker.c_str(), side.size());
  auto own = broker_tags(leaders, broker);
  side.insert(side.end(), own.begin(), own.end());
  auto bad = ClientGroup::overlaps(side);
  cr_expect(bad.empty(), "two nodes of one side tagged at once: %s\n%s",
            bad.empty() ? "" : bad[0].c_str(), s.group.describe().c_str());
}

// expect_own_leaders() checks that every leader message a broker published
// in the window names a node of its own side, and that there were enough of
// them for the side to have kept its tag going round.
void expect_own_leaders(const std::vector<Subscriber::Received>& leaders,
                        double from, const std::vector<std::string>& side,
                        const char* broker, int at_least) {
  int changes = 0;
  for (const auto& m : leaders) {
    if (m.at < from) continue;
    ++changes;
    std::string node = json_field(m.payload, "node");
    cr_expect(on_side(side, node), "while cut, %s's leader topic named %s: %s",
              broker, node.c_str(), m.payload.c_str());
  }
  cr_expect(changes >= at_least,
            "while cut, %s's leader changed only %d times (at least %d)",
            broker, changes, at_least);
}

// recover_on() returns the first recover event a client of `clients`
// printed at or after `from` (unix time), or nullopt.
std::optional<ClientEvent> recover_on(const Sites& s,
                                      const std::vector<std::string>& clients,
                                      double from) {
  for (const auto& e : s.group.events())
    if (e.event == "recover" && e.time >= from && on_side(clients, e.client))
      return e;
  return std::nullopt;
}

// expect_same_chains() checks that every chain `one` published after `from`
// (but not in the last cycle, which `other` may not have shown yet) was
// published by `other` too.
void expect_same_chains(const std::vector<Subscriber::Received>& one,
                        const std::vector<Subscriber::Received>& other,
                        double from, const char* one_name,
                        const char* other_name) {
  double until = now_s() - kCycle;
  int matched = 0;
  for (const auto& x : one) {
    if (x.at < from || x.at > until) continue;
    auto chain = json_names(x.payload, "chain");
    bool found = std::any_of(other.begin(), other.end(), [&](const auto& y) {
      return y.at >= from - kCycle && json_names(y.payload, "chain") == chain;
    });
    cr_expect(found,
              "healed: broker %s showed a chain broker %s never did:"
              " %s",
              one_name, other_name, x.payload.c_str());
    matched += found;
  }
  cr_expect(matched >= 1, "healed: broker %s published no chain to compare",
            one_name);
}

// expect_same_leaders() checks that each leader `one` published after
// `from` was published by `other` too, within a gap and a half second
// (both brokers name a leader a gap after its beacon reaches them).
void expect_same_leaders(const std::vector<Subscriber::Received>& one,
                         const std::vector<Subscriber::Received>& other,
                         double from, const char* one_name,
                         const char* other_name) {
  int matched = 0;
  for (const auto& m : one) {
    if (m.at < from || m.at > now_s() - 1.0) continue;
    std::string node = json_field(m.payload, "node");
    bool found = std::any_of(other.begin(), other.end(), [&](const auto& o) {
      return json_field(o.payload, "node") == node &&
             std::fabs(o.at - m.at) <= kGap + 0.5;
    });
    cr_expect(found,
              "healed: broker %s named %s but broker %s did not within "
              "%.1f s",
              one_name, node.c_str(), other_name, kGap + 0.5);
    matched += found;
  }
  cr_expect(matched >= 2,
            "healed: broker %s named only %d leaders in 4 "
            "cycles",
            one_name, matched);
}

}  // namespace

Test(bridge, while_cut_each_side_keeps_one_tag_and_names_its_own_leader) {
  Sites s("it/bridge-cut");
  start_joined(s);
  Subscriber leader_a(s.a.port(), s.topic + "/leader");
  Subscriber leader_b(s.b.port(), s.topic + "/leader");

  s.relay.cut();
  cr_assert(s.wait_bridge(false, 5.0) > 0, "broker A never saw the cut");
  // Each side first has to notice that the next in line is on the other
  // side: after two cycles both run their own chain.
  s.group.run_for(2 * kCycle);
  double settled = now_s();
  double settled_wall = wall_s();
  Subscriber fresh_a(s.a.port(), s.topic + "/leader");
  Subscriber fresh_b(s.b.port(), s.topic + "/leader");
  Subscriber topo_a(s.a.port(), s.topic + "/topology");
  Subscriber topo_b(s.b.port(), s.topic + "/topology");
  auto retained_a = fresh_a.next(2.0);
  auto retained_b = fresh_b.next(2.0);
  auto topology_a = topo_a.next(2.0);
  auto topology_b = topo_b.next(2.0);
  const int window = 6;
  s.group.run_for(window * kCycle);

  cr_assert(retained_a && retained_b, "a leader topic is not retained");
  std::string now_a = json_field(retained_a->payload, "node");
  std::string now_b = json_field(retained_b->payload, "node");
  cr_expect(on_side(kSideA, now_a), "cut: broker A's leader is %s",
            now_a.c_str());
  cr_expect(on_side(kSideB, now_b), "cut: broker B's leader is %s",
            now_b.c_str());
  auto la = drain(leader_a), lb = drain(leader_b);
  expect_own_leaders(la, settled, kSideA, "broker-a", window - 2);
  expect_own_leaders(lb, settled, kSideB, "broker-b", window - 2);

  // Each broker shows the other side's nodes offline, its own online.
  cr_assert(topology_a && topology_b, "a topology topic is not retained");
  for (const auto* topo : {&*topology_a, &*topology_b}) {
    bool is_a = topo == &*topology_a;
    auto online = online_nodes(topo->payload);
    for (const auto& name : is_a ? kSideA : kSideB)
      cr_expect(on_side(online, name), "cut: %s not online in %s", name.c_str(),
                topo->payload.c_str());
    for (const auto& name : is_a ? kSideB : kSideA)
      cr_expect(!on_side(online, name), "cut: %s still online in %s",
                name.c_str(), topo->payload.c_str());
  }

  expect_one_side_tags(s, kClientsA, la, "broker-a");
  expect_one_side_tags(s, kClientsB, lb, "broker-b");
  for (const auto& e : s.group.events()) {
    if (e.time < settled_wall || (e.event != "ping" && e.event != "tag"))
      continue;
    const auto& side = on_side(kClientsA, e.client) ? kSideA : kSideB;
    cr_expect(on_side(side, e.node), "cut: %s saw %s as the one that is it",
              e.client.c_str(), e.node.c_str());
  }
  for (const auto& side : {kClientsA, kClientsB}) {
    int tags = 0;
    for (const auto& e : s.group.events())
      if (e.event == "tag" && e.time >= settled_wall && on_side(side, e.client))
        ++tags;
    cr_expect(tags >= 1, "cut: no client of %s's side tagged in %d cycles",
              side[0].c_str(), window);
  }
}

Test(bridge, after_restore_one_tag_recover_on_both_sides_and_topics_agree) {
  Sites s("it/bridge-heal");
  start_joined(s);
  s.relay.cut();
  cr_assert(s.wait_bridge(false, 5.0) > 0, "broker A never saw the cut");
  s.group.run_for(4 * kCycle);

  Subscriber leader_a(s.a.port(), s.topic + "/leader");
  Subscriber leader_b(s.b.port(), s.topic + "/leader");
  Subscriber topo_a(s.a.port(), s.topic + "/topology");
  Subscriber topo_b(s.b.port(), s.topic + "/topology");
  double restored = now_s();
  cr_assert(s.relay.restore(), "the relay cannot listen on its port again");
  // restart_timeout 1 1: the bridge redials every 2 s or so.
  double up = s.wait_bridge(true, 5.0);
  cr_assert(up > 0, "the bridge did not come back within 5 s\n%s",
            s.a.log().c_str());
  double up_wall = wall_of(up);
  double healed = up + 2 * kCycle;
  s.group.run_for(healed - now_s() + 4 * kCycle);

  // One tag in the whole group from two cycles after the link came back,
  // counting the brokers' own turns too.
  auto la = drain(leader_a), lb = drain(leader_b);
  auto all = s.group.tag_intervals();
  for (const auto& own :
       {broker_tags(la, "broker-a"), broker_tags(lb, "broker-b")})
    all.insert(all.end(), own.begin(), own.end());
  auto after = ClientGroup::clip(all, wall_of(healed), wall_s());
  auto bad = ClientGroup::overlaps(after);
  cr_expect(bad.empty(),
            "two clients tagged at once more than two cycles after the heal"
            " (bridge up %.2f s after restore): %s\n%s",
            up - restored, bad.empty() ? "" : bad[0].c_str(),
            s.group.describe().c_str());

  // Recover events on both sides, within two cycles of the heal.
  for (const auto& clients : {kClientsA, kClientsB}) {
    auto rec = recover_on(s, clients, up_wall - kGap);
    cr_expect(rec, "no client of %s's side reported recover\n%s%s",
              clients[0].c_str(), s.group.describe().c_str(),
              (plugin_lines(s.a.log()) + plugin_lines(s.b.log())).c_str());
    if (rec)
      cr_expect(rec->time <= up_wall + 2 * kCycle,
                "%s reported recover %.2f s after the heal",
                rec->client.c_str(), rec->time - up_wall);
  }

  // Both leader topics name the same node at each change after the heal.
  expect_same_leaders(la, lb, healed, "A", "B");
  expect_same_leaders(lb, la, healed, "B", "A");

  // The topologies: each chain one broker shows once the group is one again,
  // the other shows too (both publish a changed chain within a second, and
  // the chain changes once a cycle); no node is listed twice. At the end,
  // four cycles on, every chain member has sent a beacon since the heal and
  // both brokers show it online. (Right after the heal a broker may list a
  // member of the other side's chain that it has not heard yet as offline;
  // nodes off the chain send nothing, so each broker lists them as it last
  // heard them: their presence is not compared.)
  auto ta = drain(topo_a), tb = drain(topo_b);
  cr_assert(!ta.empty() && !tb.empty(), "no topology published");
  expect_same_chains(ta, tb, healed, "A", "B");
  expect_same_chains(tb, ta, healed, "B", "A");
  for (const auto* topos : {&ta, &tb}) {
    for (const auto& t : *topos) {
      if (t.at < healed) continue;
      auto names = json_keys(t.payload, "nodes");
      auto unique = names;
      std::sort(unique.begin(), unique.end());
      unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
      cr_expect(unique.size() == names.size(), "a node listed twice: %s",
                t.payload.c_str());
    }
    const std::string& last = topos->back().payload;
    auto nodes = topology_nodes(last);
    for (const auto& name : json_names(last, "chain"))
      cr_expect(nodes[name].online && nodes[name].in_chain,
                "healed: chain member %s not shown online: %s", name.c_str(),
                last.c_str());
  }
}
