// drop_log.cpp: see drop_log.hpp.
#include "drop_log.hpp"

#include "log.hpp"

namespace asyncactor::client {

void DropLog::note(const std::string& reason, std::string_view payload,
                   asyncactor::Time now) {
  Slot& slot = slots_[reason];
  ++slot.total;
  ++slot.unlogged;
  // Only the latest payload is kept, and only when it may be shown.
  if (log_enabled(LogLevel::kDebug))
    slot.last_preview = printable_text(payload);
  if (now - slot.logged_at >= kDropLogInterval) log(reason, slot, now);
}

void DropLog::flush(asyncactor::Time now) {
  for (auto& [reason, slot] : slots_)
    if (slot.unlogged > 0 && now - slot.logged_at >= kDropLogInterval)
      log(reason, slot, now);
}

asyncactor::Time DropLog::next_deadline() const {
  asyncactor::Time next = asyncactor::kNever;
  for (const auto& [reason, slot] : slots_) {
    if (slot.unlogged == 0) continue;
    asyncactor::Time due = slot.logged_at + kDropLogInterval;
    if (due < next) next = due;
  }
  return next;
}

std::uint64_t DropLog::total(const std::string& reason) const {
  auto it = slots_.find(reason);
  return it == slots_.end() ? 0 : it->second.total;
}

void DropLog::log(const std::string& reason, Slot& slot,
                  asyncactor::Time now) {
  log_msg(LogLevel::kWarn, "dropped reason=%s count=%llu total=%llu%s",
          reason.c_str(), static_cast<unsigned long long>(slot.unlogged),
          static_cast<unsigned long long>(slot.total),
          reason == kDropRetained
              ? " (a retained message sits on the group topic; clear it)"
              : "");
  if (log_enabled(LogLevel::kDebug))
    log_msg(LogLevel::kDebug, "latest dropped (%s): %s", reason.c_str(),
            slot.last_preview.c_str());
  slot.unlogged = 0;
  slot.logged_at = now;
}

}  // namespace asyncactor::client
