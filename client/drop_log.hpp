// drop_log.hpp: counts the messages the client could not use, per reason,
// and reports them without letting a flood of junk flood stderr.
//
// At the default level a warning names the reason with two counts, at
// most once per reason every kDropLogInterval seconds:
//
//   dropped reason=bad_json count=12015 total=12025
//
// (count: since the last line for this reason; total: since start). At
// --log-level debug each such line is followed by a printable preview of
// the latest dropped payload; there is no line per message.
//
//   DropLog drops;
//   drops.note("bad_json", payload, now);   // may log at once
//   drops.flush(now);                       // logs what waited; call often
//   drops.next_deadline();                  // when flush() has work
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "asyncactor/time.hpp"

namespace asyncactor::client {

inline constexpr asyncactor::Time kDropLogInterval = 10.0;

// Reasons the client finds itself, besides the engine's DropReason names.
inline constexpr const char* kDropRetained = "retained";
inline constexpr const char* kDropEmpty = "empty";

class DropLog {
 public:
  // note() counts one dropped `payload` for `reason` (a stable snake_case
  // name) and logs now if this reason was not logged for the interval.
  void note(const std::string& reason, std::string_view payload,
            asyncactor::Time now);

  // flush() logs the counts still unreported whose interval has passed.
  void flush(asyncactor::Time now);

  // next_deadline() is when flush() will have a line to write, or kNever.
  [[nodiscard]] asyncactor::Time next_deadline() const;

  // total() is how many messages were dropped for `reason` so far.
  [[nodiscard]] std::uint64_t total(const std::string& reason) const;

 private:
  struct Slot {
    std::uint64_t total = 0;
    std::uint64_t unlogged = 0;
    asyncactor::Time logged_at = -asyncactor::kNever;  // first drop logs
    std::string last_preview;
  };

  void log(const std::string& reason, Slot& slot, asyncactor::Time now);

  std::map<std::string, Slot> slots_;
};

}  // namespace asyncactor::client
