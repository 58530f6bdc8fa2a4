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

// ClientEvent is one line of `asyncactor-client --json` output.
struct ClientEvent {
  std::string client;  // which process printed it
  std::string event;   // "tag", "untag", ...
  std::string node;    // the "node" field, or ""
  double time = 0;     // the "time" field (unix seconds)
  std::string line;    // the raw line
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

class ClientGroup {
 public:
  // `transport` is the client's --transport URL prefix target, e.g.
  // "mqtt://127.0.0.1:PORT"; the default uses --port.
  ClientGroup(int port, std::string topic);

  // add() starts a client named `name` with --value `value` and extra flags.
  void add(const std::string& name, const std::string& value,
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
