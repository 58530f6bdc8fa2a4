// drop_log.hpp: counts dropped messages per reason and logs them at warning
// level, at most one line per reason every kDropLogInterval seconds, so that
// a peer flooding the topic with garbage cannot flood the broker's log.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "asyncactor/message.hpp"
#include "asyncactor/time.hpp"

namespace asyncactor::plugin {

inline constexpr Time kDropLogInterval = 10.0;

class DropLog {
 public:
  explicit DropLog(std::string observer);

  // note() counts one drop for `reason` from `client_id` and logs now if
  // this reason has not been logged for kDropLogInterval.
  void note(DropReason reason, const std::string& client_id, Time now);

  // flush() logs the drops not yet reported once their interval has passed;
  // call it from the tick.
  void flush(Time now);

  std::uint64_t total(DropReason reason) const;

 private:
  struct Slot {
    std::uint64_t total = 0;
    std::uint64_t unlogged = 0;
    Time logged_at = -kNever;  // never logged: the first drop logs
    std::string last_client;
  };

  void log(DropReason reason, Slot& slot, Time now);

  std::string observer_;
  std::array<Slot, static_cast<int>(DropReason::kCount)> slots_;
};

}  // namespace asyncactor::plugin
