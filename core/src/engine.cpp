// engine.cpp: the public Engine API, message intake, echoes, name clashes
// and setup negotiation (PROTOCOL sections 4, 8 and 10).
#include <algorithm>
#include <cmath>

#include "check.hpp"
#include "engine_internal.hpp"

namespace asyncactor {

using detail::Phase;
using detail::TagInput;
using detail::Timer;

namespace {

constexpr const char* kEventNames[] = {
    "tag",   "untag", "detag",    "ping",      "recover", "good_node",
    "setup", "clash", "isolated", "connected", "raw"};

// safe_gap() is true when timers up to `slack` late still keep tags apart
// with this gap: the gap must be more than twice the slack.
bool safe_gap(Time gap, Time slack) { return slack < gap / 2; }

std::optional<std::string> check_slack(const EngineConfig& c) {
  if (!std::isfinite(c.slack) || c.slack < 0)
    return "slack must be a finite number >= 0";
  if (!safe_gap(c.setup.gap, c.slack))
    return "slack must be less than gap / 2";
  return std::nullopt;
}

bool valid_value(const Value& v) {
  Message m;
  m.type = MessageType::kHist;
  m.value = v;
  m.history = {"x"};
  return detail::check_message(m) == DropReason::kNone;
}

}  // namespace

const char* event_type_name(EventType type) {
  auto i = static_cast<std::size_t>(type);
  return i < std::size(kEventNames) ? kEventNames[i] : "unknown";
}

std::uint64_t Counters::dropped_total() const {
  std::uint64_t total = 0;
  for (auto n : dropped) total += n;
  return total;
}

std::optional<std::string> check_config(const EngineConfig& config) {
  if (!detail::valid_name(config.name))
    return "name must be 1 to 64 bytes of UTF-8 without NUL";
  if (auto err = validate(config.setup)) return "setup: " + *err;
  if (!valid_value(config.value))
    return "value must be null, a finite number or a string of at most 256 "
           "bytes of UTF-8";
  if (config.max_nodes < 2) return "max_nodes must be at least 2";
  return check_slack(config);
}

// --- Engine: thin forwarding to State ---------------------------------

Engine::Engine(EngineConfig config)
    : state_(std::make_unique<State>(std::move(config))) {}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

void Engine::start(Time now) {
  if (state_->phase != Phase::kNew) return;
  state_->arm(Timer::kIsolation,
              now + state_->config.setup.cycle + 3 * state_->config.setup.gap);
  state_->arm(Timer::kNameSweep, now + state_->name_lifetime() / 2);
  state_->begin_listening(now);
}

DropReason Engine::receive(std::string_view payload, Time now) {
  ++state_->counters.received;
  DecodeResult decoded = decode(payload);
  if (!decoded.ok()) {
    ++state_->counters.dropped[static_cast<int>(decoded.error)];
    return decoded.error;
  }
  return state_->take(decoded.message, now);
}

DropReason Engine::receive(const Message& message, Time now) {
  ++state_->counters.received;
  return state_->take(message, now);
}

void Engine::advance(Time now) { state_->run_timers(now); }

Time Engine::next_deadline() const {
  return *std::min_element(state_->timers.begin(), state_->timers.end());
}

std::optional<Message> Engine::pop_message() {
  if (state_->outbox.empty()) return std::nullopt;
  Message m = std::move(state_->outbox.front());
  state_->outbox.pop_front();
  ++state_->counters.sent;
  return m;
}

std::optional<Event> Engine::pop_event() {
  if (state_->events.empty()) return std::nullopt;
  Event e = std::move(state_->events.front());
  state_->events.pop_front();
  return e;
}

void Engine::announce(Time now) {
  state_->run_timers(now);
  if (state_->phase == Phase::kNew) return;
  Message init;
  init.type = MessageType::kInit;
  init.node = state_->config.name;
  state_->send(std::move(init), now);  // send() skips passive and clashing
}

void Engine::set_value(Value value, Time now) {
  state_->run_timers(now);
  state_->config.value = std::move(value);
}

const std::string& Engine::name() const { return state_->config.name; }
const Setup& Engine::setup() const { return state_->config.setup; }
const Value& Engine::value() const { return state_->config.value; }
bool Engine::enabled() const { return state_->config.enabled; }
const std::vector<std::string>& Engine::history() const {
  return state_->config.enabled ? state_->history : state_->mirror;
}
TagState Engine::tag_state() const { return state_->tag; }
const std::unordered_map<std::string, NodeInfo>& Engine::nodes() const {
  return state_->nodes;
}
bool Engine::isolated() const { return state_->isolated; }
bool Engine::clashing() const { return state_->phase == Phase::kClashing; }
const Counters& Engine::counters() const { return state_->counters; }
Time Engine::name_lifetime() const { return state_->name_lifetime(); }

// --- State: intake and output ---------------------------------------------

Engine::State::State(EngineConfig c) : config(std::move(c)), rng(config.seed) {
  timers.fill(kNever);
  nodes[config.name].value = config.value;
  nodes.reserve(std::min<std::size_t>(config.max_nodes, 64));
}

// take() checks one incoming message against the engine's rules and hands
// it on. Timers due by `now` run first: they happened before it arrived.
DropReason Engine::State::take(const Message& m, Time now) {
  DropReason why = detail::check_message(m);
  if (why == DropReason::kNone && m.type == MessageType::kPing &&
      m.history[0] != m.node)
    why = DropReason::kInconsistent;
  // A setup whose gap our late timers could overrun is never adopted, nor
  // answered (a forged one would start a storm of answers): we keep ours.
  if (why == DropReason::kNone && m.type == MessageType::kVers &&
      !safe_gap(m.setup.gap, config.slack))
    why = DropReason::kUnsafeSetup;
  if (why != DropReason::kNone) {
    ++counters.dropped[static_cast<int>(why)];
    return why;
  }

  run_timers(now);
  if (is_echo(m, now)) {
    ++counters.echoes;
    return DropReason::kNone;
  }
  ++counters.accepted;
  if (config.raw) {
    Event& e = emit(EventType::kRaw, now);
    e.node = m.type == MessageType::kHist ? std::string() : m.node;
    e.raw = m;
  }
  if (carries_my_name(m)) {
    on_clash(m, now);
    return DropReason::kNone;
  }
  handle(m, now, false);
  return DropReason::kNone;
}

// handle() applies one valid message, received or our own.
void Engine::State::handle(const Message& m, Time now, bool own) {
  note_names(m, now);
  if (phase == Phase::kNew) return;

  switch (m.type) {
    case MessageType::kInit:
      break;
    case MessageType::kVers:
      if (!own) on_vers(m, now);
      break;
    case MessageType::kPing:
    case MessageType::kHist:
      on_beacon(m, now, own);
      break;
  }
}

// note_names() records the sender and every name a beacon carries, as
// far as the name table has room (names.cpp).
void Engine::State::note_names(const Message& m, Time now) {
  if (m.type != MessageType::kHist) {
    if (NodeInfo* info = remember(m.node, now)) {
      info->last_seen = now;
      info->heard = now;
      if (m.type == MessageType::kPing) info->value = m.value;
    }
  }
  for (const auto& name : m.history) (void)remember(name, now);
}

// send() queues a message and processes it as if it had been received.
void Engine::State::send(Message m, Time now) {
  if (!config.enabled || phase == Phase::kClashing) return;

  detail::SentRecord& record = sent[sent_next];
  sent_next = (sent_next + 1) % sent.size();
  record.message = m;
  record.at = now;
  record.echoed = false;
  outbox.push_back(std::move(m));
  handle(record.message, now, true);
}

Event& Engine::State::emit(EventType type, Time now) {
  Event& e = events.emplace_back();
  e.type = type;
  e.time = now;
  return e;
}

// is_echo() recognises the channel's copy of a message we sent. Echoes
// come back in the order we sent, so only the oldest message still waiting
// for its echo (sent within the last cycle) can match. A twin's identical
// message therefore counts as foreign when our transport does not echo.
bool Engine::State::is_echo(const Message& m, Time now) {
  if (m.type != MessageType::kHist && m.node != config.name) return false;

  for (std::size_t i = 0; i < sent.size(); ++i) {
    detail::SentRecord& record = sent[(sent_next + i) % sent.size()];
    if (record.echoed || now - record.at > config.setup.cycle) continue;
    if (!(record.message == m)) return false;
    record.echoed = true;
    return true;
  }
  return false;
}

// carries_my_name() is true for a message that claims to come from us. A
// hist has no sender: its history[0] is the head of its side's chain, and
// any member of that side may send it (the head may be asleep or gone), so
// a hist never signals a clash.
bool Engine::State::carries_my_name(const Message& m) const {
  return m.type != MessageType::kHist && m.node == config.name;
}

// on_clash() handles a message with our name that we did not send: yield to
// a running twin, or tell a starting one that the name is taken.
void Engine::State::on_clash(const Message& m, Time now) {
  const Time quiet = config.setup.cycle + 3 * config.setup.gap;
  if (phase == Phase::kClashing) {
    arm(Timer::kClashEnd, now + quiet);
    return;
  }
  bool starting_twin =
      m.type == MessageType::kInit || m.type == MessageType::kVers;
  bool must_yield = phase != Phase::kRunning || !starting_twin;
  if (!must_yield && now < clash_answered + config.setup.cycle) return;

  Event& e = emit(EventType::kClash, now);
  e.node = config.name;
  e.must_yield = must_yield;
  if (must_yield) {
    enter_clashing(now);
    return;
  }
  clash_answered = now;
  Message answer;
  answer.type = MessageType::kVers;
  answer.node = config.name;
  answer.setup = config.setup;
  send(std::move(answer), now);
}

// enter_clashing() silences the node until nobody else uses its name.
void Engine::State::enter_clashing(Time now) {
  drive_tag(TagInput::kStop, now);
  for (int t = 0; t < detail::kTimerCount; ++t)
    if (t != static_cast<int>(Timer::kIsolation) &&
        t != static_cast<int>(Timer::kNameSweep))
      timers[t] = kNever;
  phase = Phase::kClashing;
  arm(Timer::kClashEnd, now + config.setup.cycle + 3 * config.setup.gap);
}

// begin_listening() is the start-up sequence (PROTOCOL section 8).
void Engine::State::begin_listening(Time now) {
  phase = Phase::kListening;
  history.clear();
  previous.clear();
  mirror.clear();
  mirror_previous.clear();
  isolation_restart = true;
  last_beacon_names = 0;

  Message init;
  init.type = MessageType::kInit;
  init.node = config.name;
  send(init, now);
  Message vers = init;
  vers.type = MessageType::kVers;
  vers.setup = config.setup;
  send(std::move(vers), now);

  const Setup& s = config.setup;
  arm(Timer::kListenEnd, now + s.cycle + s.gap * rng.uniform(1.5, 2.0));
}

// on_vers() negotiates the setup (PROTOCOL section 8).
void Engine::State::on_vers(const Message& m, Time now) {
  const Setup& mine = config.setup;
  const Setup& theirs = m.setup;
  if (theirs == mine) {
    cancel(Timer::kVersAnswer);  // someone answered already
  } else if (theirs.version > mine.version) {
    adopt_setup(theirs, now);
  } else if (theirs.version < mine.version) {
    answer_vers(now);
  } else if (m.node < config.name) {
    adopt_setup(theirs, now);
  } else {
    answer_vers(now);
  }
}

void Engine::State::adopt_setup(const Setup& s, Time now) {
  config.setup = s;
  cancel(Timer::kVersAnswer);
  if (history.size() > max_view()) history.resize(max_view());
  emit(EventType::kSetup, now).setup = s;
}

// answer_vers() lets the chain member whose position delay runs out first
// answer an older or losing setup with ours.
void Engine::State::answer_vers(Time now) {
  int p = position(history);
  if (!can_beacon() || p < 0 || armed(Timer::kVersAnswer)) return;

  Time delay = config.setup.gap * (1 - std::ldexp(1.0, -p));
  if (delay > 0) {
    arm(Timer::kVersAnswer, now + delay);
    return;
  }
  fire(Timer::kVersAnswer, now);
}

bool Engine::State::can_beacon() const {
  return config.enabled && phase == Phase::kRunning;
}

}  // namespace asyncactor
