// drop_log.cpp: rate-limited warnings about dropped messages.
#include "drop_log.hpp"

#include <mosquitto.h>
#include <mosquitto_broker.h>

#include "broker_io.hpp"

namespace asyncactor::plugin {

DropLog::DropLog(std::string observer) : observer_(std::move(observer)) {}

void DropLog::note(DropReason reason, const std::string& client_id, Time now) {
  auto index = static_cast<std::size_t>(reason);
  if (reason == DropReason::kNone || index >= slots_.size()) return;

  Slot& slot = slots_[index];
  ++slot.total;
  ++slot.unlogged;
  slot.last_client = printable(client_id);
  if (now - slot.logged_at >= kDropLogInterval) log(reason, slot, now);
}

void DropLog::flush(Time now) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (slot.unlogged > 0 && now - slot.logged_at >= kDropLogInterval)
      log(static_cast<DropReason>(i), slot, now);
  }
}

std::uint64_t DropLog::total(DropReason reason) const {
  auto index = static_cast<std::size_t>(reason);
  return index < slots_.size() ? slots_[index].total : 0;
}

void DropLog::log(DropReason reason, Slot& slot, Time now) {
  mosquitto_log_printf(
      MOSQ_LOG_WARNING,
      "asyncactor: dropped reason=%s count=%llu total=%llu client=%s "
      "observer=%s",
      drop_reason_name(reason), static_cast<unsigned long long>(slot.unlogged),
      static_cast<unsigned long long>(slot.total),
      slot.last_client.empty() ? "-" : slot.last_client.c_str(),
      observer_.c_str());
  slot.unlogged = 0;
  slot.logged_at = now;
}

}  // namespace asyncactor::plugin
