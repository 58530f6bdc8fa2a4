// broker_io.cpp: clocks, broker publishing and log-safe text.
#include "broker_io.hpp"

#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <time.h>

#include <cstdio>
#include <cstring>

namespace asyncactor::plugin {

namespace {

double read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

}  // namespace

Time mono_now() { return read_clock(CLOCK_MONOTONIC); }

double unix_now() { return read_clock(CLOCK_REALTIME); }

double to_unix(Time t) { return unix_now() - (mono_now() - t); }

bool publish(const std::string& topic, std::string_view payload, bool retain) {
  void* copy = nullptr;
  if (!payload.empty()) {
    copy = mosquitto_malloc(payload.size());
    if (!copy) {
      mosquitto_log_printf(MOSQ_LOG_WARNING,
                           "asyncactor: publish failed topic=%s error=nomem",
                           topic.c_str());
      return false;
    }
    std::memcpy(copy, payload.data(), payload.size());
  }

  int rc = mosquitto_broker_publish(nullptr, topic.c_str(),
                                    static_cast<int>(payload.size()), copy, 1,
                                    retain, nullptr);
  if (rc == MOSQ_ERR_SUCCESS) return true;

  mosquitto_free(copy);
  mosquitto_log_printf(MOSQ_LOG_WARNING,
                       "asyncactor: publish failed topic=%s error=%d",
                       topic.c_str(), rc);
  return false;
}

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  std::size_t n = text.size() < max ? text.size() : max;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out.push_back(c >= 0x21 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (text.size() > max) out += "...";
  return out;
}

std::string value_text(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kNumber: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.15g", value.as_number());
      return buf;
    }
    case Value::Kind::kString:
      return "\"" + printable(value.as_string()) + "\"";
  }
  return "?";
}

std::string names_text(const std::vector<std::string>& names) {
  if (names.empty()) return "-";
  std::string out;
  std::size_t shown = 0;
  for (const auto& name : names) {
    std::string text = printable(name);
    bool full = shown == kLogNamesMax ||
                (shown > 0 && out.size() + 1 + text.size() > kLogNamesBytes);
    if (full) break;
    if (!out.empty()) out += ',';
    out += text;
    ++shown;
  }
  if (shown < names.size())
    out += " ... and " + std::to_string(names.size() - shown) + " more";
  return out;
}

}  // namespace asyncactor::plugin
