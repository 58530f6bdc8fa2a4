// group.hpp: a group of asyncactor-client processes on one broker, with
// their JSON events collected and checked for overlapping tags.
//
//   aatest::Broker broker(aatest::group_broker_options("t/g"));
//   aatest::ClientGroup group(broker.port(), "t/g");
//   group.add("a", "1");
//   group.run_for(10.0);             // collect events for 10 s
//   group.tag_intervals();           // who held the tag, and when
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness.hpp"

namespace aatest {

// The short protocol timing every integration test uses.
inline constexpr double kCycle = 2.0;
inline constexpr double kGap = 0.4;
// The broker plugin ends its tags this much early, because it only sees
// time move when the broker ticks (kTickSlack in plugin/options.hpp).
inline constexpr double kPluginSlack = 0.15;

// ClientEvent is one line of `asyncactor-client --json` output.
struct ClientEvent {
  std::string client;  // which process printed it
  std::string event;   // "tag", "untag", ...
  std::string node;    // the "node" field, or ""
  double time = 0;     // the "time" field (unix seconds)
  std::string line;    // the raw line
  double seen = 0;     // wall_s() when the test read the line
};

// TagInterval is one period during which `node` said it held the tag.
struct TagInterval {
  std::string node;
  double start = 0;
  double end = 0;  // untag/detag time, or when collection stopped
};

// wall_s() is the unix time in seconds, as the clients print it.
double wall_s();

// group_broker_options() is a broker with the plugin on `topic`, named
// "broker", running the short cycle.
Broker::Options group_broker_options(const std::string& topic);

// json_field() returns the string field `key` of a JSON object: its text,
// "<null>" for null, "<none>" when absent or not a string, "<not json>".
std::string json_field(const std::string& payload, const std::string& key);

// json_names() returns the array of strings `key` of a JSON object (a
// topology's "chain"); empty when absent.
std::vector<std::string> json_names(const std::string& payload,
                                    const std::string& key);

// json_keys() returns the member names of the object `key` (a topology's
// "nodes"), in order and with any repeats kept.
std::vector<std::string> json_keys(const std::string& payload,
                                   const std::string& key);

// json_number() returns the number field `key` of a JSON object, or
// nullopt when it is absent or not a number.
std::optional<double> json_number(const std::string& payload,
                                  const std::string& key);

// TopologyNode is what a <topic>/topology payload says about one node.
struct TopologyNode {
  bool online = false;
  bool in_chain = false;
};

// topology_nodes() reads the "nodes" of a topology payload.
std::map<std::string, TopologyNode> topology_nodes(const std::string& topology);

// online_nodes() returns the names a topology payload lists with
// "online": true, in name order.
std::vector<std::string> online_nodes(const std::string& topology);

// drain() returns every message a subscriber holds now, without waiting.
std::vector<Subscriber::Received> drain(Subscriber& sub);

// broker_tags() turns the messages a broker published on its retained
// <topic>/leader into the tag periods of its own node `name`, so that the
// broker's turns can be checked against the clients'. A message naming
// `name` starts a period at its "since" (when the broker's engine reported
// the tag, unix time); the period lasts what the plugin's tag lasts at
// most, cycle - gap/2 - kPluginSlack, and ends earlier if the next message
// names another node (a detag: that node's tag was reported a gap after
// the beacon that ended this one). The topic only changes when the leader
// does, so of two turns of the broker in a row only the first is seen.
std::vector<TagInterval> broker_tags(
    const std::vector<Subscriber::Received>& leaders, const std::string& name);

class ClientGroup {
 public:
  // `transport` is the client's --transport URL prefix target, e.g.
  // "mqtt://127.0.0.1:PORT"; the default uses --port.
  ClientGroup(int port, std::string topic);

  // add() starts a client named `name` with --value `value` and extra flags.
  void add(const std::string& name, const std::string& value,
           const std::vector<std::string>& extra = {});
  // add_at() starts a client like add(), but on the broker at `port`
  // (a group spread over bridged brokers).
  void add_at(int port, const std::string& name, const std::string& value,
              const std::vector<std::string>& extra = {});
  // add_argv() starts a client with exactly these arguments after the path.
  void add_argv(const std::string& name, const std::vector<std::string>& args);

  // run_for() collects events from every client for `seconds`.
  void run_for(double seconds);
  // wait_event() collects until some client prints `event` (optionally from
  // a client other than `not_from`); returns it, or nullopt on time-out.
  std::optional<ClientEvent> wait_event(const std::string& event,
                                        double timeout_s,
                                        const std::string& not_from = "");

  Process& process(const std::string& name);
  // forget() stops reading a client (after it was killed).
  void forget(const std::string& name);

  const std::vector<ClientEvent>& events() const { return events_; }
  // tag_intervals() pairs each tag with the next untag or detag of the same
  // client; an open tag ends at `until` (default: now).
  std::vector<TagInterval> tag_intervals(double until = 0) const;
  // overlaps() lists pairs of intervals of different nodes that overlap by
  // more than `tolerance` seconds, as readable strings.
  static std::vector<std::string> overlaps(
      const std::vector<TagInterval>& intervals, double tolerance = 0.0);
  // clip() keeps the parts of `intervals` inside [from, to], for checks that
  // only hold after a fault has had time to heal.
  static std::vector<TagInterval> clip(
      const std::vector<TagInterval>& intervals, double from, double to);
  // only() keeps the intervals of the named clients.
  static std::vector<TagInterval> only(
      const std::vector<TagInterval>& intervals,
      const std::vector<std::string>& names);
  // events_of() lists the events one client printed, in order.
  std::vector<ClientEvent> events_of(const std::string& client) const;
  // tagged_nodes() is the set of nodes tagged at least once.
  std::map<std::string, int> tag_counts() const;
  std::string describe() const;  // all events, for failure messages

 private:
  void collect(double timeout_s);

  int port_;
  std::string topic_;
  std::map<std::string, Process> processes_;
  std::vector<ClientEvent> events_;
};

}  // namespace aatest
