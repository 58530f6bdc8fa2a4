// output.cpp: see output.hpp.
#include "output.hpp"

#include <cjson/cJSON.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>

#include "asyncactor/json.hpp"
#include "asyncactor/message.hpp"
#include "log.hpp"

namespace asyncactor::client {

namespace {

using asyncactor::Event;
using asyncactor::EventType;
using asyncactor::Value;

struct JsonDeleter {
  void operator()(cJSON* j) const { cJSON_Delete(j); }
};
using JsonPtr = std::unique_ptr<cJSON, JsonDeleter>;

cJSON* json_names(const std::vector<std::string>& names) {
  cJSON* arr = cJSON_CreateArray();
  for (const std::string& n : names)
    cJSON_AddItemToArray(arr, cJSON_CreateString(n.c_str()));
  return arr;
}

// add_extras() adds the fields particular to the event's type.
void add_extras(cJSON* o, const Event& e) {
  switch (e.type) {
    case EventType::kTag:
    case EventType::kPing:
      cJSON_AddBoolToObject(o, "chain_full", e.chain_full);
      break;
    case EventType::kRecover:
      cJSON_AddNumberToObject(o, "priority", e.priority);
      cJSON_AddBoolToObject(o, "replaced", e.replaced);
      cJSON_AddItemToObject(o, "local", json_names(e.local));
      cJSON_AddItemToObject(o, "remote", json_names(e.remote));
      break;
    case EventType::kGoodNode:
      cJSON_AddItemToObject(o, "nodes", json_names(e.nodes));
      break;
    case EventType::kSetup:
      cJSON_AddItemToObject(o, "setup", to_json(e.setup));
      break;
    case EventType::kClash:
      cJSON_AddBoolToObject(o, "must_yield", e.must_yield);
      break;
    case EventType::kRaw: {
      cJSON* m = cJSON_Parse(asyncactor::encode(e.raw).c_str());
      cJSON_AddItemToObject(o, "message", m ? m : cJSON_CreateNull());
      break;
    }
    default:
      break;
  }
}

std::string names_text(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const std::string& n : names) out += (out.size() > 1 ? "," : "") + n;
  return out + "]";
}

const char* yes_no(bool b) { return b ? "yes" : "no"; }

std::string extras_text(const Event& e) {
  switch (e.type) {
    case EventType::kTag:
    case EventType::kPing:
      return std::string(" chain_full=") + yes_no(e.chain_full);
    case EventType::kRecover:
      return " priority=" + std::to_string(e.priority) +
             " replaced=" + yes_no(e.replaced) +
             " local=" + names_text(e.local) +
             " remote=" + names_text(e.remote);
    case EventType::kGoodNode:
      return " nodes=" + names_text(e.nodes);
    case EventType::kSetup:
      return " version=" + std::to_string(e.setup.version) +
             " cycle=" + value_text(Value::number(e.setup.cycle)) +
             " gap=" + value_text(Value::number(e.setup.gap));
    case EventType::kClash:
      return std::string(" must_yield=") + yes_no(e.must_yield);
    case EventType::kRaw:
      return " message=" + asyncactor::encode(e.raw);
    default:
      return "";
  }
}

std::string time_text(double unix_time) {
  std::time_t secs = static_cast<std::time_t>(unix_time);
  std::tm parts{};
  localtime_r(&secs, &parts);
  char buf[48];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &parts);
  int ms = static_cast<int>((unix_time - static_cast<double>(secs)) * 1000);
  std::snprintf(buf + n, sizeof buf - n, ".%03d", ms < 0 ? 0 : ms);
  return buf;
}

bool about_self(EventType t) {
  return t != EventType::kPing && t != EventType::kClash &&
         t != EventType::kRaw;
}

}  // namespace

std::string event_node(const Event& event, const EventContext& context) {
  return about_self(event.type) ? context.own_name : event.node;
}

Value event_value(const Event& event, const EventContext& context) {
  if (event.type == EventType::kPing) return event.value;
  if (event.type == EventType::kRaw) return event.raw.value;
  if (event.type == EventType::kClash) return Value();
  return context.own_value;
}

std::string value_text(const Value& value) {
  if (value.kind() == Value::Kind::kString) return value.as_string();
  if (value.is_null()) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", value.as_number());
  return buf;
}

std::string event_json(const Event& event, const EventContext& context) {
  JsonPtr o(cJSON_CreateObject());
  cJSON_AddStringToObject(o.get(), "event",
                          asyncactor::event_type_name(event.type));
  std::string node = event_node(event, context);
  cJSON_AddItemToObject(
      o.get(), "node",
      node.empty() ? cJSON_CreateNull() : cJSON_CreateString(node.c_str()));
  cJSON_AddItemToObject(o.get(), "value",
                        to_json(event_value(event, context)));
  cJSON_AddNumberToObject(o.get(), "time", context.wall_time);
  add_extras(o.get(), event);
  std::unique_ptr<char, decltype(&cJSON_free)> text(
      cJSON_PrintUnformatted(o.get()), &cJSON_free);
  return text ? std::string(text.get()) : std::string("{}");
}

std::string event_text(const Event& event, const EventContext& context) {
  std::string node = event_node(event, context);
  std::string line = time_text(context.wall_time) + " " +
                     asyncactor::event_type_name(event.type) + " " +
                     (node.empty() ? "-" : node) +
                     " value=" + value_text(event_value(event, context)) +
                     extras_text(event);
  // Names and values come from peers: mask what could break the line.
  return printable_text(line, line.size());
}

void print_event(bool json, const Event& event, const EventContext& context) {
  std::string line =
      json ? event_json(event, context) : event_text(event, context);
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace asyncactor::client
