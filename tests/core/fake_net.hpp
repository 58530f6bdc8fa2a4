// fake_net.hpp: a scripted in-memory network of engines on a fake clock,
// for engine tests.
//
//   aatest::FakeNet net(setup);          // every node gets this setup
//   net.add("a"); net.add("b");
//   net.start_all();
//   net.run_for(10 * net.cycle_time());  // small steps of fake time
//   net.count(EventType::kTag, 0);
//
// Each message an engine sends is delivered to every other running node
// after `delay` seconds (to the sender too when `echo` is set). Time moves
// in steps of `step` seconds; engines are advanced at every step, so their
// timers fire up to one step late. Nodes can be split into sides, suspended
// (their messages wait until they wake), or stopped for good.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "asyncactor/engine.hpp"

namespace aatest {

using namespace asyncactor;

// Logged is one event an engine reported.
struct Logged {
  Time time;
  std::size_t node;
  Event event;
};

// Sent is one message an engine put on the channel.
struct Sent {
  Time time;
  std::size_t node;
  Message message;
};

// TagSpan is one period a node held the tag.
struct TagSpan {
  std::size_t node;
  Time start;
  Time end;
};

class FakeNet {
 public:
  struct Options {
    Time delay = 0.05;  // delivery delay, below gap / 2
    Time step = 0.01;   // clock step
    bool echo = false;  // deliver each message to its sender too
  };

  explicit FakeNet(Setup setup) : FakeNet(setup, Options()) {}
  FakeNet(Setup setup, Options options) : setup_(setup), opt_(options) {}

  // config() is the default configuration of a node called `name`.
  EngineConfig config(const std::string& name, double value = 1) const {
    EngineConfig c;
    c.name = name;
    c.setup = setup_;
    c.value = Value::number(value);
    c.seed = 1000 + nodes_.size() * 7919;
    return c;
  }

  std::size_t add(const std::string& name, double value = 1) {
    return add(config(name, value));
  }

  std::size_t add(EngineConfig c) {
    nodes_.push_back(Node{Engine(std::move(c)), State::kNew, {}});
    return nodes_.size() - 1;
  }

  void start(std::size_t i) {
    nodes_[i].state = State::kUp;
    nodes_[i].engine.start(now_);
    collect(i, now_);
  }

  void start_all() {
    for (std::size_t i = 0; i < nodes_.size(); ++i) start(i);
  }

  void run_until(Time end) {
    while (now_ + opt_.step / 2 < end) step();
  }
  void run_for(Time span) { run_until(now_ + span); }

  // split() puts node i on side `sides[i]`; only one side hears a message.
  void split(std::vector<int> sides) { sides_ = std::move(sides); }
  void heal() { sides_.clear(); }

  void suspend(std::size_t i) { nodes_[i].state = State::kSuspended; }
  void resume(std::size_t i) {
    nodes_[i].state = State::kUp;
    nodes_[i].engine.advance(now_);
    collect(i, now_);
    auto held = std::move(nodes_[i].held);
    for (auto& m : held) deliver(i, m, now_);
  }
  void stop(std::size_t i) { nodes_[i].state = State::kStopped; }

  Engine& engine(std::size_t i) { return nodes_[i].engine; }
  std::size_t size() const { return nodes_.size(); }
  Time now() const { return now_; }
  const Setup& setup() const { return setup_; }

  // cycle_time() is the longest normal beacon interval, C + 2G.
  Time cycle_time() const { return setup_.cycle + 2 * setup_.gap; }

  const std::vector<Logged>& events() const { return events_; }
  const std::vector<Sent>& sent() const { return sent_; }

  // count() is how many events of `type` node `i` reported since `from`.
  int count(EventType type, std::size_t i, Time from = -1) const {
    return static_cast<int>(std::count_if(
        events_.begin(), events_.end(), [&](const Logged& l) {
          return l.node == i && l.event.type == type && l.time >= from;
        }));
  }

  // count_all() is count() summed over every node.
  int count_all(EventType type, Time from = -1) const {
    int n = 0;
    for (std::size_t i = 0; i < nodes_.size(); ++i) n += count(type, i, from);
    return n;
  }

  // sent_by() is how many messages of `type` node `i` sent since `from`.
  int sent_by(std::size_t i, MessageType type, Time from = -1) const {
    return static_cast<int>(
        std::count_if(sent_.begin(), sent_.end(), [&](const Sent& s) {
          return s.node == i && s.message.type == type && s.time >= from;
        }));
  }

  // tag_spans() lists every tag held, from kTag to kUntag or kDetag (an
  // open tag ends now).
  std::vector<TagSpan> tag_spans() const {
    std::vector<TagSpan> spans;
    std::map<std::size_t, Time> open;
    for (const auto& l : events_) {
      if (l.event.type == EventType::kTag) open[l.node] = l.time;
      bool ends = l.event.type == EventType::kUntag ||
                  l.event.type == EventType::kDetag;
      if (ends && open.count(l.node)) {
        spans.push_back({l.node, open[l.node], l.time});
        open.erase(l.node);
      }
    }
    for (auto& [node, start] : open) spans.push_back({node, start, now_});
    std::sort(spans.begin(), spans.end(),
              [](const TagSpan& a, const TagSpan& b) {
                return a.start < b.start;
              });
    return spans;
  }

  // overlaps() lists the fake times, at or after `from`, at which two or
  // more watched engines were tagged together.
  std::vector<Time> overlaps(Time from = -1) const {
    std::vector<Time> out;
    for (Time t : overlaps_)
      if (t >= from) out.push_back(t);
    return out;
  }

  // watch() limits the overlap check to the nodes `pred` selects (default:
  // all of them).
  void watch(std::function<bool(std::size_t)> pred) { watch_ = pred; }

 private:
  enum class State { kNew, kUp, kSuspended, kStopped };

  struct Node {
    Engine engine;
    State state;
    std::vector<Message> held;  // arrived while suspended
  };

  struct Flight {
    std::size_t to;
    Message message;
  };

  void step() {
    now_ += opt_.step;
    while (!flights_.empty() && flights_.begin()->first <= now_) {
      auto it = flights_.begin();
      Time at = it->first;
      Flight f = std::move(it->second);
      flights_.erase(it);
      deliver(f.to, f.message, at);
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].state != State::kUp) continue;
      nodes_[i].engine.advance(now_);
      collect(i, now_);
    }
    check_overlap();
  }

  void deliver(std::size_t to, const Message& m, Time at) {
    Node& n = nodes_[to];
    if (n.state == State::kSuspended) n.held.push_back(m);
    if (n.state != State::kUp) return;
    (void)n.engine.receive(m, at);
    collect(to, at);
  }

  bool connected(std::size_t a, std::size_t b) const {
    return sides_.empty() || sides_[a] == sides_[b];
  }

  void collect(std::size_t i, Time at) {
    Engine& e = nodes_[i].engine;
    while (auto m = e.pop_message()) {
      sent_.push_back({at, i, *m});
      for (std::size_t j = 0; j < nodes_.size(); ++j) {
        if ((j == i && !opt_.echo) || !connected(i, j)) continue;
        flights_.emplace(at + opt_.delay, Flight{j, *m});
      }
    }
    while (auto ev = e.pop_event()) events_.push_back({at, i, *ev});
  }

  void check_overlap() {
    int tagged = 0;
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if ((!watch_ || watch_(i)) && nodes_[i].state == State::kUp &&
          nodes_[i].engine.tag_state() == TagState::kTagged)
        ++tagged;
    if (tagged > 1) overlaps_.push_back(now_);
  }

  Setup setup_;
  Options opt_;
  Time now_ = 0;
  std::vector<Node> nodes_;
  std::multimap<Time, Flight> flights_;
  std::vector<int> sides_;
  std::vector<Logged> events_;
  std::vector<Sent> sent_;
  std::vector<Time> overlaps_;
  std::function<bool(std::size_t)> watch_;
};

// fast_setup() is a quick setup for tests: cycle 2 s, gap 0.4 s.
inline Setup fast_setup() {
  Setup s;
  s.cycle = 2;
  s.gap = 0.4;
  return s;
}

}  // namespace aatest
