// scenario_json.cpp: a Scenario written back as JSON, for replaying runs.
#include <cJSON.h>

#include "asyncactor/json.hpp"
#include "asyncactor/sim/scenario.hpp"

namespace asyncactor::sim {
namespace {

cJSON* indices_json(const std::vector<std::size_t>& v) {
  cJSON* arr = cJSON_CreateArray();
  for (auto i : v) cJSON_AddItemToArray(arr, cJSON_CreateNumber(double(i)));
  return arr;
}

cJSON* spec_json(const NodeSpec& n) {
  cJSON* o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "index", double(n.index));
  if (n.name) cJSON_AddStringToObject(o, "name", n.name->c_str());
  if (n.value) cJSON_AddItemToObject(o, "value", to_json(*n.value));
  if (n.enabled) cJSON_AddBoolToObject(o, "enabled", *n.enabled);
  if (n.start) cJSON_AddNumberToObject(o, "start", *n.start);
  if (n.slack) cJSON_AddNumberToObject(o, "slack", *n.slack);
  if (n.setup) cJSON_AddItemToObject(o, "setup", to_json(*n.setup));
  return o;
}

cJSON* partition_json(const Partition& p) {
  cJSON* o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "from", p.from);
  cJSON_AddNumberToObject(o, "to", p.to);
  cJSON* groups = cJSON_AddArrayToObject(o, "groups");
  for (const auto& g : p.groups) cJSON_AddItemToArray(groups, indices_json(g));
  return o;
}

cJSON* action_json(const Action& a) {
  static const char* names[] = {"crash", "restart", "suspend", "resume",
                                "set_value"};
  cJSON* o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "at", a.at);
  cJSON_AddStringToObject(o, "do", names[static_cast<int>(a.kind)]);
  cJSON_AddItemToObject(o, "nodes", indices_json(a.nodes));
  if (a.kind == ActionKind::kSetValue) {
    cJSON_AddItemToObject(o, "value", to_json(a.value));
  }
  return o;
}

template <typename T, typename F>
void add_list(cJSON* o, const char* key, const std::vector<T>& items, F f) {
  if (items.empty()) return;
  cJSON* arr = cJSON_AddArrayToObject(o, key);
  for (const auto& item : items) cJSON_AddItemToArray(arr, f(item));
}

void add_network(cJSON* o, const Scenario& s) {
  cJSON* d = cJSON_AddObjectToObject(o, "delay");
  cJSON_AddStringToObject(d, "dist", delay_kind_name(s.delay.kind));
  cJSON_AddNumberToObject(d, "min", s.delay.min);
  cJSON_AddNumberToObject(d, "max", s.delay.max);
  cJSON_AddNumberToObject(d, "scale", s.delay.scale);
  cJSON_AddNumberToObject(d, "shape", s.delay.shape);
  cJSON* st = cJSON_AddObjectToObject(o, "start");
  cJSON_AddNumberToObject(st, "at", s.start.at);
  cJSON_AddNumberToObject(st, "initial", double(s.start.initial));
  cJSON_AddNumberToObject(st, "join_at", s.start.join_at);
  cJSON_AddNumberToObject(st, "stagger", s.start.stagger);
}

}  // namespace

std::string scenario_json(const Scenario& s) {
  cJSON* o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "label", s.label.c_str());
  cJSON_AddNumberToObject(o, "seed", double(s.seed));
  cJSON_AddNumberToObject(o, "nodes", double(s.node_count));
  cJSON_AddNumberToObject(o, "cycles", s.cycles);
  cJSON* setup = to_json(s.setup);
  if (s.n_hosts_auto) cJSON_DeleteItemFromObject(setup, "n_hosts");
  cJSON_AddItemToObject(o, "setup", setup);
  cJSON_AddItemToObject(o, "value", to_json(s.value));
  cJSON_AddNumberToObject(o, "slack", s.slack);
  cJSON_AddNumberToObject(o, "warmup_cycles", s.warmup_cycles);
  add_network(o, s);
  add_list(o, "node_specs", s.nodes, spec_json);
  add_list(o, "partitions", s.partitions, partition_json);
  add_list(o, "actions", s.actions, action_json);
  char* text = cJSON_PrintUnformatted(o);
  std::string out = text ? text : "{}";
  cJSON_free(text);
  cJSON_Delete(o);
  return out;
}

}  // namespace asyncactor::sim
