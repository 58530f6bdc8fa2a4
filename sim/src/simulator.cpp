// simulator.cpp: the event loop, the network model and the node life cycle.
#include "asyncactor/sim/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <queue>

#include "recorder.hpp"

namespace asyncactor::sim {
namespace {

enum class Kind : std::uint8_t { kStart, kTimer, kFlight, kAction, kEpoch };

// Entry is one item of the event queue; `a` and `b` depend on `kind`:
// kStart: node; kTimer: node, generation; kFlight: slot; kAction: action
// index; kEpoch: epoch index.
struct Entry {
  double time;
  std::uint64_t seq;
  Kind kind;
  std::uint32_t a;
  std::uint64_t b;
};

struct Later {
  bool operator()(const Entry& x, const Entry& y) const {
    return x.time > y.time || (x.time == y.time && x.seq > y.seq);
  }
};

enum class Status { kWaiting, kRunning, kSuspended, kCrashed };

// Bundle is what one engine call produced, shared by every delivery.
struct Bundle {
  std::vector<Message> messages;
};
using BundlePtr = std::shared_ptr<const Bundle>;

struct Arrival {
  double time;
  std::uint32_t node;
};

// Flight is one bundle on its way to its receivers, in arrival order.
struct Flight {
  BundlePtr bundle;
  std::vector<Arrival> arrivals;
  std::size_t next = 0;
  std::uint64_t seq = 0;
  bool alive = false;
};

struct Node {
  EngineConfig config;
  std::unique_ptr<Engine> engine;
  Status status = Status::kWaiting;
  double start = 0;
  double phase = 0;  // tick phase when config.slack > 0
  std::uint64_t timer_gen = 0;
  double timer_at = kNever;
  std::vector<BundlePtr> backlog;
  std::uint32_t incarnation = 0;
  std::uint32_t last_slot = 0;  // this node's latest flight
  std::uint64_t last_seq = 0;   // and its seq (0: none)
};

std::vector<detail::Epoch> make_epochs(const Scenario& s);

}  // namespace

struct Simulator::Impl {
  explicit Impl(Scenario s);

  Scenario scenario;
  double now = 0;
  double end = 0;
  double limit = 0;  // run_until() stops after this time
  std::uint64_t seq = 0;
  std::priority_queue<Entry, std::vector<Entry>, Later> queue;
  std::vector<Node> nodes;
  std::vector<detail::Epoch> epochs;
  const std::vector<int>* part = nullptr;
  std::vector<Flight> flights;
  std::vector<std::uint32_t> free_slots;
  std::vector<double> scratch;  // per node, for FIFO clamping
  Rng net_rng;
  std::unique_ptr<detail::Recorder> recorder;
  double wall_s = 0;
  std::FILE* trace = nullptr;

  void trace_message(std::uint32_t n, const Message& m);
  void trace_event(std::uint32_t n, const Event& e);

  void push(double time, Kind kind, std::uint32_t a, std::uint64_t b) {
    queue.push({time, ++seq, kind, a, b});
  }
  void init_nodes();
  void schedule_timeline();
  void step(const Entry& e);

  // Nodes.
  void start_node(std::uint32_t n);
  void on_timer(std::uint32_t n, std::uint64_t gen);
  void drain(std::uint32_t n);
  void reschedule(std::uint32_t n, bool after_advance);
  void deliver(std::uint32_t n, const BundlePtr& bundle);
  void receive_bundle(std::uint32_t n, const Bundle& bundle);
  void apply(const Action& a);
  void crash(std::uint32_t n);
  void suspend(std::uint32_t n);
  void resume(std::uint32_t n);

  // Network.
  void broadcast(std::uint32_t sender, BundlePtr bundle);
  bool clamp_to_previous(const Node& sender, std::vector<Arrival>& arrivals);
  void fly(std::uint32_t slot, std::uint64_t flight_seq);
  std::uint32_t new_slot();
};

namespace {

std::vector<detail::Epoch> make_epochs(const Scenario& s) {
  std::vector<double> times{0};
  for (const auto& p : s.partitions) {
    times.push_back(std::max(0.0, p.from));
    times.push_back(std::max(0.0, p.to));
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  std::vector<detail::Epoch> epochs;
  for (double t : times) {
    std::map<std::vector<int>, int> ids;
    detail::Epoch e{t, std::vector<int>(s.node_count)};
    for (std::size_t n = 0; n < s.node_count; ++n) {
      std::vector<int> key;
      for (const auto& p : s.partitions) {
        if (!(p.from <= t && t < p.to)) continue;
        int g = static_cast<int>(p.groups.size());
        for (std::size_t i = 0; i < p.groups.size(); ++i) {
          const auto& grp = p.groups[i];
          if (std::find(grp.begin(), grp.end(), n) != grp.end()) g = int(i);
        }
        key.push_back(g);
      }
      e.part[n] = ids.emplace(key, int(ids.size())).first->second;
    }
    if (epochs.empty() || epochs.back().part != e.part) {
      epochs.push_back(std::move(e));
    }
  }
  return epochs;
}

double start_time(const Scenario& s, std::size_t n) {
  const StartPlan& p = s.start;
  if (p.initial == 0) return p.at + double(n) * p.stagger;
  if (n < p.initial) return p.at;
  return p.join_at + double(n - p.initial) * p.stagger;
}

}  // namespace

Simulator::Impl::Impl(Scenario s)
    : scenario(std::move(s)),
      net_rng(mix_seed(scenario.seed, 0x6e6574)) {
  end = duration(scenario);
  if (scenario.n_hosts_auto) {
    scenario.setup.n_hosts = static_cast<int>(scenario.node_count);
  }
  epochs = make_epochs(scenario);
  part = &epochs.front().part;
  scratch.assign(scenario.node_count, -kNever);
  init_nodes();
  schedule_timeline();
}

void Simulator::Impl::init_nodes() {
  nodes.resize(scenario.node_count);
  Rng phase_rng(mix_seed(scenario.seed, 0x7469636b));
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    Node& node = nodes[n];
    node.config.name = node_name(n);
    node.config.setup = scenario.setup;
    node.config.value = scenario.value;
    node.config.slack = scenario.slack;
    node.start = start_time(scenario, n);
  }
  for (const auto& spec : scenario.nodes) {
    Node& node = nodes[spec.index];
    if (spec.name) node.config.name = *spec.name;
    if (spec.value) node.config.value = *spec.value;
    if (spec.enabled) node.config.enabled = *spec.enabled;
    if (spec.slack) node.config.slack = *spec.slack;
    if (spec.setup) node.config.setup = *spec.setup;
    if (spec.setup && scenario.n_hosts_auto) {
      node.config.setup.n_hosts = scenario.setup.n_hosts;
    }
    if (spec.start) node.start = *spec.start;
  }
  std::vector<detail::NodeFacts> facts;
  for (auto& node : nodes) {
    node.phase = node.config.slack * phase_rng.uniform();
    const Setup& su = node.config.setup;
    facts.push_back({node.config.name, node.start,
                     node.config.enabled && !node.config.value.is_null(),
                     su.cycle - su.gap / 2, su.gap});
  }
  recorder = std::make_unique<detail::Recorder>(std::move(facts), epochs);
}

void Simulator::Impl::schedule_timeline() {
  for (std::uint32_t n = 0; n < nodes.size(); ++n) {
    push(nodes[n].start, Kind::kStart, n, 0);
  }
  for (std::uint32_t i = 0; i < scenario.actions.size(); ++i) {
    push(scenario.actions[i].at, Kind::kAction, i, 0);
  }
  for (std::uint32_t i = 1; i < epochs.size(); ++i) {
    push(epochs[i].start, Kind::kEpoch, i, 0);
  }
}

void Simulator::Impl::step(const Entry& e) {
  now = e.time;
  switch (e.kind) {
    case Kind::kStart:
      if (nodes[e.a].status == Status::kWaiting) start_node(e.a);
      break;
    case Kind::kTimer:
      on_timer(e.a, e.b);
      break;
    case Kind::kFlight:
      fly(e.a, e.b);
      break;
    case Kind::kAction:
      apply(scenario.actions[e.a]);
      break;
    case Kind::kEpoch:
      part = &epochs[e.a].part;
      break;
  }
}

// ---- Nodes ----------------------------------------------------------------

void Simulator::Impl::start_node(std::uint32_t n) {
  Node& node = nodes[n];
  EngineConfig cfg = node.config;
  cfg.seed = mix_seed(scenario.seed, (std::uint64_t(n) << 20) +
                                         node.incarnation);
  node.engine = std::make_unique<Engine>(std::move(cfg));
  node.status = Status::kRunning;
  recorder->on_wake(now, n);
  node.engine->start(now);
  drain(n);
  reschedule(n, false);
}

void Simulator::Impl::on_timer(std::uint32_t n, std::uint64_t gen) {
  Node& node = nodes[n];
  if (gen != node.timer_gen || node.status != Status::kRunning) return;
  node.timer_at = kNever;
  node.engine->advance(now);
  drain(n);
  reschedule(n, true);
}

void Simulator::Impl::drain(std::uint32_t n) {
  Engine& engine = *nodes[n].engine;
  std::shared_ptr<Bundle> bundle;
  while (auto m = engine.pop_message()) {
    recorder->on_message(now, n, m->type);
    if (trace) trace_message(n, *m);
    if (!bundle) bundle = std::make_shared<Bundle>();
    bundle->messages.push_back(std::move(*m));
  }
  while (auto e = engine.pop_event()) {
    recorder->on_event(now, n, *e);
    if (trace) trace_event(n, *e);
  }
  if (bundle) broadcast(n, std::move(bundle));
}

// reschedule() queues the node's next timer: at its deadline, or for a
// ticked node at the first tick at or after it. A deadline that advance()
// left in the past is an engine fault; it is counted and retried a tick
// (or a millisecond) later so that the run goes on.
void Simulator::Impl::reschedule(std::uint32_t n, bool after_advance) {
  Node& node = nodes[n];
  double due = node.engine->next_deadline();
  if (due == kNever) {
    ++node.timer_gen;
    node.timer_at = kNever;
    return;
  }
  double tick = node.config.slack;
  if (after_advance && due <= now) {
    recorder->on_stall();
    due = now + (tick > 0 ? tick : 1e-3);
  }
  due = std::max(due, now);
  double fire = due;
  if (tick > 0) {
    double k = std::ceil((due - node.phase) / tick);
    fire = node.phase + k * tick;
    if (fire < due) fire = node.phase + (k + 1) * tick;
  }
  if (fire == node.timer_at) return;
  node.timer_at = fire;
  push(fire, Kind::kTimer, n, ++node.timer_gen);
}

void Simulator::Impl::receive_bundle(std::uint32_t n, const Bundle& bundle) {
  Engine& engine = *nodes[n].engine;
  for (const Message& m : bundle.messages) {
    recorder->on_delivery();
    DropReason why = engine.receive(m, now);
    if (why != DropReason::kNone) recorder->on_drop(why);
  }
}

void Simulator::Impl::deliver(std::uint32_t n, const BundlePtr& bundle) {
  Node& node = nodes[n];
  switch (node.status) {
    case Status::kRunning:
      receive_bundle(n, *bundle);
      drain(n);
      reschedule(n, false);
      break;
    case Status::kSuspended:
      node.backlog.push_back(bundle);
      break;
    default:
      recorder->on_lost();
      break;
  }
}

void Simulator::Impl::apply(const Action& a) {
  for (std::size_t i : a.nodes) {
    auto n = static_cast<std::uint32_t>(i);
    Status st = nodes[n].status;
    switch (a.kind) {
      case ActionKind::kCrash:
        crash(n);
        break;
      case ActionKind::kRestart:
        crash(n);
        ++nodes[n].incarnation;
        start_node(n);
        break;
      case ActionKind::kSuspend:
        if (st == Status::kRunning) suspend(n);
        break;
      case ActionKind::kResume:
        if (st == Status::kSuspended) resume(n);
        break;
      case ActionKind::kSetValue:
        if (st != Status::kRunning) break;
        nodes[n].engine->set_value(a.value, now);
        drain(n);
        reschedule(n, false);
        break;
    }
  }
}

void Simulator::Impl::crash(std::uint32_t n) {
  Node& node = nodes[n];
  if (node.status != Status::kRunning && node.status != Status::kSuspended) {
    return;
  }
  recorder->on_pause(now, n, detail::PieceEnd::kCrash);
  node.engine.reset();
  node.status = Status::kCrashed;
  node.backlog.clear();
  ++node.timer_gen;
  node.timer_at = kNever;
}

void Simulator::Impl::suspend(std::uint32_t n) {
  Node& node = nodes[n];
  recorder->on_pause(now, n, detail::PieceEnd::kSuspend);
  node.status = Status::kSuspended;
  ++node.timer_gen;
  node.timer_at = kNever;
}

// resume() wakes a node as its process would: the clock has jumped, so it
// advances first (dropping a tag whose time has passed), then takes the
// messages that queued up, in order.
void Simulator::Impl::resume(std::uint32_t n) {
  Node& node = nodes[n];
  node.status = Status::kRunning;
  recorder->on_wake(now, n);
  node.engine->advance(now);
  drain(n);
  std::vector<BundlePtr> backlog;
  backlog.swap(node.backlog);
  for (const auto& b : backlog) {
    receive_bundle(n, *b);
    drain(n);
  }
  reschedule(n, false);
}

void Simulator::Impl::trace_message(std::uint32_t n, const Message& m) {
  std::fprintf(trace, "%.6f %s send %s\n", now, nodes[n].config.name.c_str(),
               encode(m).c_str());
}

void Simulator::Impl::trace_event(std::uint32_t n, const Event& e) {
  std::string extra;
  for (const auto& name : e.local) extra += " L:" + name;
  for (const auto& name : e.remote) extra += " R:" + name;
  std::fprintf(trace, "%.6f %s event %s %s%s\n", now,
               nodes[n].config.name.c_str(), event_type_name(e.type),
               e.node.c_str(), extra.c_str());
}

// ---- Network --------------------------------------------------------------

std::uint32_t Simulator::Impl::new_slot() {
  if (!free_slots.empty()) {
    std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  }
  flights.emplace_back();
  return static_cast<std::uint32_t>(flights.size() - 1);
}

// clamp_to_previous() keeps order per sender and receiver: no arrival may
// come before the same receiver's arrival of the sender's previous bundle,
// if that one is still in flight. Returns whether anything moved.
bool Simulator::Impl::clamp_to_previous(const Node& sender,
                                        std::vector<Arrival>& arrivals) {
  if (sender.last_seq == 0) return false;
  const Flight& prev = flights[sender.last_slot];
  if (!prev.alive || prev.seq != sender.last_seq) return false;
  if (prev.arrivals.back().time < now) return false;
  for (std::size_t i = prev.next; i < prev.arrivals.size(); ++i) {
    scratch[prev.arrivals[i].node] = prev.arrivals[i].time;
  }
  bool moved = false;
  for (auto& a : arrivals) {
    if (scratch[a.node] > a.time) {
      a.time = scratch[a.node];
      moved = true;
    }
  }
  for (std::size_t i = prev.next; i < prev.arrivals.size(); ++i) {
    scratch[prev.arrivals[i].node] = -kNever;
  }
  return moved;
}

void Simulator::Impl::broadcast(std::uint32_t sender, BundlePtr bundle) {
  const std::vector<int>& parts = *part;
  int side = parts[sender];
  std::uint32_t slot = new_slot();
  Flight& f = flights[slot];
  f.arrivals.clear();
  for (std::uint32_t r = 0; r < nodes.size(); ++r) {
    Status st = nodes[r].status;
    if (r == sender || parts[r] != side) continue;
    if (st != Status::kRunning && st != Status::kSuspended) continue;
    f.arrivals.push_back({now + sample_delay(scenario.delay, net_rng), r});
  }
  if (f.arrivals.empty()) {
    free_slots.push_back(slot);
    return;
  }
  bool fixed = scenario.delay.kind == DelayKind::kFixed;
  bool moved = clamp_to_previous(nodes[sender], f.arrivals);
  if (!fixed || moved) {
    std::sort(f.arrivals.begin(), f.arrivals.end(),
              [](const Arrival& x, const Arrival& y) {
                return x.time < y.time || (x.time == y.time && x.node < y.node);
              });
  }
  f.bundle = std::move(bundle);
  f.next = 0;
  f.seq = ++seq;
  f.alive = true;
  nodes[sender].last_slot = slot;
  nodes[sender].last_seq = f.seq;
  queue.push({f.arrivals.front().time, f.seq, Kind::kFlight, slot, f.seq});
}

// fly() delivers a flight's arrivals in order for as long as nothing else
// in the queue comes first, so a bundle reaching many nodes at about the
// same time costs one queue operation, not one per receiver.
void Simulator::Impl::fly(std::uint32_t slot, std::uint64_t flight_seq) {
  if (!flights[slot].alive || flights[slot].seq != flight_seq) return;
  const BundlePtr bundle = flights[slot].bundle;
  for (;;) {
    Flight& f = flights[slot];
    const Arrival a = f.arrivals[f.next++];
    now = a.time;
    deliver(a.node, bundle);
    Flight& g = flights[slot];  // deliver() may have grown `flights`
    if (g.next == g.arrivals.size()) {
      g.alive = false;
      g.bundle.reset();
      free_slots.push_back(slot);
      return;
    }
    double t = g.arrivals[g.next].time;
    bool later = t > limit;
    if (!later && !queue.empty()) {
      const Entry& top = queue.top();
      later = top.time < t || (top.time == t && top.seq < flight_seq);
    }
    if (later) {
      queue.push({t, flight_seq, Kind::kFlight, slot, flight_seq});
      return;
    }
  }
}

// ---- Simulator ------------------------------------------------------------

Simulator::Simulator(Scenario scenario)
    : impl_(std::make_unique<Impl>(std::move(scenario))) {}

Simulator::~Simulator() = default;

void Simulator::run_until(double t) {
  auto t0 = std::chrono::steady_clock::now();
  Impl& s = *impl_;
  s.limit = t;
  while (!s.queue.empty() && s.queue.top().time <= t) {
    Entry e = s.queue.top();
    s.queue.pop();
    s.step(e);
  }
  s.now = std::max(s.now, t);
  std::chrono::duration<double> spent = std::chrono::steady_clock::now() - t0;
  s.wall_s += spent.count();
}

Figures Simulator::run() {
  run_until(impl_->end);
  return finish();
}

Figures Simulator::finish() {
  Impl& s = *impl_;
  Figures f = s.recorder->finish(s.now, s.scenario);
  f.label = s.scenario.label;
  f.seed = s.scenario.seed;
  f.nodes = s.scenario.node_count;
  f.cycles = s.now / cycle_length(s.scenario);
  f.wall_s = s.wall_s;
  for (const auto& node : s.nodes) {
    if (node.engine) ++f.setup_versions[node.engine->setup().version];
  }
  return f;
}

void Simulator::trace_to(std::FILE* out) { impl_->trace = out; }

double Simulator::now() const { return impl_->now; }

const Engine* Simulator::engine(std::size_t index) const {
  return impl_->nodes.at(index).engine.get();
}

std::string run_scenario(const Scenario& scenario, Figures& figures) {
  std::string err = check_scenario(scenario);
  if (!err.empty()) return err;
  Simulator sim(scenario);
  figures = sim.run();
  return "";
}

}  // namespace asyncactor::sim
