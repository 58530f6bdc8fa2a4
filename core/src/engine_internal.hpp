// engine_internal.hpp: the state behind asyncactor::Engine, shared by the
// engine's source files. Internal to the core; not installed.
//
// The engine is split by concern:
//   engine.cpp    public API, message intake, echoes, name clashes
//   chain.cpp     accepting beacons, conflicts, splits and recovery
//   schedule.cpp  the d table of PROTOCOL 5.3 and the named timers
//   tag.cpp       the tag state machine (PROTOCOL 5.4), driven in one place
//   names.cpp     the bounded table of node names: expiry and the cap
// Setup negotiation (PROTOCOL section 8) lives in engine.cpp too.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "asyncactor/engine.hpp"

namespace asyncactor::detail {

// Rng is a small deterministic generator (splitmix64), seeded per engine.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  // uniform() returns a number in [low, high).
  double uniform(double low, double high);

  // chance() is true with probability `p`.
  bool chance(double p) { return uniform(0, 1) < p; }

 private:
  std::uint64_t next();
  std::uint64_t state_;
};

// Phase is where a node is in its life; the tag state is separate.
enum class Phase {
  kNew,        // made, start() not called yet
  kListening,  // start-up: listening for a running chain
  kRunning,    // taking part
  kClashing,   // another node uses our name: silent until it goes away
};

// Timer names the engine's deadlines; each holds at most one time.
enum class Timer {
  kBeacon,      // send our next beacon
  kTagStart,    // pending -> tagged, G after our beacon
  kTagEnd,      // tagged -> idle, C + G/2 - slack after our beacon
  kPingReport,  // report "X is it", G after accepting X's beacon
  kHistSend,    // send a hist after a diverged conflict
  kIsolation,   // no beacon from another node for C + 3G
  kVersAnswer,  // answer an older setup with ours
  kClashEnd,    // no foreign use of our name for C + 3G
  kListenEnd,   // end of the start-up listening phase
  kNameSweep,   // forget names not heard for name_lifetime()
  kCount
};

// TagInput is what can happen to the tag state machine.
enum class TagInput {
  kBeaconSent,  // we sent a beacon while ready
  kGapElapsed,  // G has passed since that beacon
  kPeriodOver,  // the tag period has ended
  kBeaten,      // a better beacon replaced our view
  kStop,        // we must fall silent (name clash)
};

// SentRecord remembers one message we sent, to recognise its echo.
struct SentRecord {
  Message message;
  Time at = 0;
  bool echoed = true;  // true: no echo expected any more
};

inline constexpr std::size_t kSentRecords = 8;
inline constexpr int kTimerCount = static_cast<int>(Timer::kCount);

}  // namespace asyncactor::detail

namespace asyncactor {

// Engine::State is the whole node. Member functions are grouped by file.
struct Engine::State {
  explicit State(EngineConfig c);

  // --- engine.cpp: intake and output
  DropReason take(const Message& m, Time now);
  void handle(const Message& m, Time now, bool own);
  void note_names(const Message& m, Time now);
  NodeInfo* remember(const std::string& name, Time now);
  void heard_chain(const Message& m, Time now);
  bool evict_one(const std::vector<std::string>& keep);
  void sweep_names(Time now);
  Time name_lifetime() const;
  Value value_of(const std::string& name) const;
  void send(Message m, Time now);
  Event& emit(EventType type, Time now);
  bool is_echo(const Message& m, Time now);
  bool carries_my_name(const Message& m) const;
  void on_clash(const Message& m, Time now);
  void enter_clashing(Time now);
  void begin_listening(Time now);
  void on_vers(const Message& m, Time now);
  void adopt_setup(const Setup& s, Time now);
  void answer_vers(Time now);
  bool can_beacon() const;

  // --- chain.cpp: the view of the chain
  void on_beacon(const Message& m, Time now, bool own);
  bool follows(const Message& m, const std::vector<std::string>& view) const;
  bool races_repeat(const Message& m, Time now) const;
  bool lags(const Message& m) const;
  void accept(const Message& m, Time now, bool own);
  void adopt(const Message& m, Time now);
  void conflict(const Message& m, Time now);
  void diverged(const Message& m, std::vector<std::string> old_view,
                bool replaced, Time now);
  void heard_other(Time now);
  void restart_isolation_on_send(Time now);
  void mirror_accept(const std::string& x);
  void mirror_replace(const std::vector<std::string>& names);
  void check_good_node(const Message& m, Time now);
  void note_own_side(const std::string& sender);
  void report_later(const Message& m, Time now);
  void send_beacon(Time now);
  void send_hist(const std::vector<std::string>& names, Time now);
  std::size_t max_view() const;
  int position(const std::vector<std::string>& view) const;

  // --- schedule.cpp: when to act
  void schedule_beacon(const std::string& sender, Time now);
  double beacon_delay(const std::string& sender);
  double outsider_delay();
  bool defer_to_ready() const;
  void arm(detail::Timer t, Time at) { timers[static_cast<int>(t)] = at; }
  void cancel(detail::Timer t) { arm(t, kNever); }
  Time when(detail::Timer t) const { return timers[static_cast<int>(t)]; }
  bool armed(detail::Timer t) const { return when(t) != kNever; }
  bool pop_due(Time now, detail::Timer& due);
  void fire(detail::Timer t, Time now);
  void run_timers(Time now);
  bool clock_jumped(Time now) const;
  void catch_up(Time now);

  // --- tag.cpp: the tag state machine
  void drive_tag(detail::TagInput input, Time now);
  void drop_stale_tag(Time now);
  Time tag_end() const;
  void become_tagged(Time now);
  void become_idle(EventType report, Time now);

  EngineConfig config;
  detail::Rng rng;
  detail::Phase phase = detail::Phase::kNew;
  TagState tag = TagState::kIdle;
  Time tag_sent = 0;  // S: when our pending or held beacon left

  std::vector<std::string> history;   // the view, most recent first
  std::vector<std::string> previous;  // the view before the last accept

  // A passive node's unbounded view: every chain member it has seen, most
  // recent first, with the chain itself as its prefix (PROTOCOL 9).
  std::vector<std::string> mirror;
  std::vector<std::string> mirror_previous;
  std::size_t last_beacon_names = 0;  // names in the last accepted beacon
  Time repeat_at = -kNever;  // when the head last spoke again, if it did
  bool fresh = false;        // view adopted at start-up, not confirmed yet
  std::unordered_map<std::string, NodeInfo> nodes;
  std::uint64_t waited = 0;  // beacons accepted while off the chain

  std::array<Time, detail::kTimerCount> timers;
  std::string report_node;  // kPingReport: who is it
  Value report_value;

  // After a diverged conflict: the two chains, so that the same heal is
  // reported once, and the end of that window.
  std::vector<std::string> former;
  std::vector<std::string> remote;
  Time heal_until = -kNever;

  bool isolated = false;
  // True until our first beacon after start or after another node's
  // beacon: that beacon restarts the isolation timer (see heard_other).
  bool isolation_restart = true;
  Time clash_answered = -kNever;  // when we last told a twin our name
  std::array<detail::SentRecord, detail::kSentRecords> sent;
  std::size_t sent_next = 0;

  std::deque<Message> outbox;
  std::deque<Event> events;
  Counters counters;
};

}  // namespace asyncactor
