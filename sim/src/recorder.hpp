// recorder.hpp (internal): the raw log of one run, turned into Figures at
// the end. The simulator calls the on_* functions as things happen; nothing
// here knows the protocol, only when tags started and ended.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asyncactor/event.hpp"
#include "asyncactor/sim/figures.hpp"
#include "asyncactor/sim/scenario.hpp"

namespace asyncactor::sim::detail {

enum class PieceEnd { kOpen, kUntag, kDetag, kCrash, kSuspend };

// Piece is one stretch of time during which a node held the tag and was
// running. `cover_end` is how long the tag counts for liveness: a crashed or
// suspended holder's tag still counts until it would have ended. `granted`
// is when the beacon that won the tag left: from then on the tag could only
// have been prevented by messages that reached the holder.
struct Piece {
  std::size_t node = 0;
  double granted = 0;
  double start = 0;
  double end = 0;
  double cover_end = 0;
  PieceEnd how = PieceEnd::kOpen;
  bool overlapped = false;
  // A ghost is the tag of a node that stopped while pending: the group
  // lives under it (observers report it as "it"), nobody holds it. It
  // counts for liveness only.
  bool ghost = false;
};

// Epoch is a stretch of time with one network layout: part[i] is the
// connected part node i is in.
struct Epoch {
  double start = 0;
  std::vector<int> part;
};

struct MessageRecord {
  double time = 0;
  MessageType type = MessageType::kPing;
};

struct NodeEventRecord {
  double time = 0;
  std::size_t node = 0;
};

// NodeFacts is what analysis needs to know about each node.
struct NodeFacts {
  std::string name;
  double first_start = 0;  // scheduled start time
  bool can_tag = true;     // enabled and with a non-null value
  double tag_length = 0;   // setup.cycle - setup.gap / 2
  double gap = 0;          // setup.gap
};

class Recorder {
 public:
  Recorder(std::vector<NodeFacts> nodes, std::vector<Epoch> epochs);

  // on_message() logs one message `node` sent.
  void on_message(double now, std::size_t node, MessageType type);
  void on_event(double now, std::size_t node, const Event& event);
  // on_pause() closes an open tag piece because the node crashed or was
  // suspended, or adds a ghost if the node was pending; on_wake() reopens
  // a piece if the engine still says tagged.
  void on_pause(double now, std::size_t node, PieceEnd how);
  void on_wake(double now, std::size_t node);
  void on_drop(DropReason reason) { ++drops_[static_cast<int>(reason)]; }
  void on_stall() { ++stalls_; }
  void on_delivery() { ++deliveries_; }
  void on_lost() { ++lost_; }

  // finish() closes open pieces at `end` and computes every figure that
  // depends only on the log. The caller fills in the run's identity, wall
  // time and setup versions.
  [[nodiscard]] Figures finish(double end, const Scenario& scenario);

 private:
  void close_piece(double now, std::size_t node, PieceEnd how);
  void open_piece(double now, std::size_t node);
  void add_ghost(double now, std::size_t node);
  void count_messages(Figures& f, const Scenario& s) const;
  void check_safety(Figures& f);
  void check_liveness(Figures& f, double end) const;
  void check_heals(Figures& f, double end) const;
  void check_joins(Figures& f, const Scenario& s) const;
  void check_clashes(Figures& f) const;
  std::size_t epoch_at(double t) const;
  double epoch_end(std::size_t e, double end) const;

  std::vector<NodeFacts> nodes_;
  std::vector<Epoch> epochs_;
  std::vector<Piece> pieces_;
  std::vector<long> open_;        // per node: open piece index or -1
  std::vector<char> tagged_;      // per node: engine said tag, not yet untag
  std::vector<char> awake_;       // per node: running, not paused
  std::vector<double> last_ping_;  // per node: when it last sent a ping
  std::vector<MessageRecord> messages_;
  std::vector<NodeEventRecord> tag_starts_, detag_times_, recovers_;
  std::vector<ClashFigure> clashes_;
  std::array<std::uint64_t, 11> event_counts_{};
  std::array<std::uint64_t, static_cast<int>(DropReason::kCount)> drops_{};
  std::uint64_t stalls_ = 0, deliveries_ = 0, lost_ = 0;
};

}  // namespace asyncactor::sim::detail
