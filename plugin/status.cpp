// status.cpp: builds the status JSON with cJSON and publishes it when it
// changed; see status.hpp.
#include "status.hpp"

#include <cJSON.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "asyncactor/json.hpp"
#include "broker_io.hpp"

namespace asyncactor::plugin {

namespace {

using Json = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

Json make_object() { return Json(cJSON_CreateObject(), &cJSON_Delete); }

// print() serializes `json` compactly; empty when cJSON ran out of memory.
std::string print(const Json& json) {
  char* text = json ? cJSON_PrintUnformatted(json.get()) : nullptr;
  if (!text) return {};
  std::string out(text);
  cJSON_free(text);
  return out;
}

double round_to(double x, double unit) { return std::round(x / unit) * unit; }

cJSON* names_json(const std::vector<std::string>& names) {
  cJSON* list = cJSON_CreateArray();
  for (const auto& name : names)
    cJSON_AddItemToArray(list, cJSON_CreateString(name.c_str()));
  return list;
}

// listed_nodes() picks the node names the topology shows: all of them up
// to kMaxTopologyNodes, else the chain and then the most recently seen,
// in name order.
std::vector<std::string> listed_nodes(const Engine& engine) {
  const auto& history = engine.history();
  auto in_chain = [&](const std::string& n) {
    return std::find(history.begin(), history.end(), n) != history.end();
  };
  std::vector<std::string> names;
  names.reserve(engine.nodes().size());
  for (const auto& entry : engine.nodes()) names.push_back(entry.first);

  if (names.size() > kMaxTopologyNodes) {
    auto first = [&](const std::string& a, const std::string& b) {
      bool ca = in_chain(a), cb = in_chain(b);
      if (ca != cb) return ca;
      return engine.nodes().at(a).last_seen > engine.nodes().at(b).last_seen;
    };
    std::partial_sort(names.begin(), names.begin() + kMaxTopologyNodes,
                      names.end(), first);
    names.resize(kMaxTopologyNodes);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ever_heard() tells a name the engine has had a message from apart from
// one it only knows from another node's history. The engine leaves
// last_seen at 0 for the latter, and the plugin's engine time (the
// monotonic clock, counted from boot) is past 0 for any real message.
bool ever_heard(const NodeInfo& info) { return info.last_seen > 0; }

}  // namespace

Time online_window(const Setup& setup) {
  return (setup.nodes + setup.n_hosts) * (setup.cycle + 2 * setup.gap);
}

Status::Status(std::string topic, std::string observer)
    : leader_topic_(topic + "/leader"),
      topology_topic_(topic + "/topology"),
      observer_(std::move(observer)) {}

bool Status::set_leader(const std::string& node, const Value& value, Time at) {
  bool changed = !leader_ || *leader_ != node;
  if (changed) {
    leader_ = node;
    leader_since_ = to_unix(at);
  }
  leader_value_ = value;
  publish_leader();
  return changed;
}

bool Status::clear_leader(Time at) {
  if (!leader_) return false;
  leader_.reset();
  leader_value_ = Value();
  leader_since_ = to_unix(at);
  publish_leader();
  return true;
}

void Status::publish_leader() {
  Json json = make_object();
  if (leader_)
    cJSON_AddStringToObject(json.get(), "node", leader_->c_str());
  else
    cJSON_AddNullToObject(json.get(), "node");
  cJSON_AddItemToObject(json.get(), "value", to_json(leader_value_));
  cJSON_AddNumberToObject(json.get(), "since", round_to(leader_since_, 0.001));
  cJSON_AddStringToObject(json.get(), "observer", observer_.c_str());

  std::string text = print(json);
  if (text.empty() || text == leader_sent_) return;
  if (publish(leader_topic_, text, true)) leader_sent_ = std::move(text);
}

std::string Status::topology_json(const Engine& engine,
                                  const Presence& presence, Time now) const {
  const auto& history = engine.history();
  Time window = online_window(engine.setup());
  double offset = unix_now() - now;

  Json json = make_object();
  cJSON_AddStringToObject(json.get(), "observer", observer_.c_str());
  cJSON_AddItemToObject(json.get(), "setup", to_json(engine.setup()));
  cJSON_AddItemToObject(json.get(), "chain", names_json(history));

  cJSON* nodes = cJSON_AddObjectToObject(json.get(), "nodes");
  std::vector<std::string> names = listed_nodes(engine);
  for (const auto& name : names) {
    const NodeInfo& info = engine.nodes().at(name);
    bool online = name == engine.name();
    if (!online) {
      Presence::Link link = presence.link(name);
      online =
          link == Presence::Link::kDirect ||
          (link == Presence::Link::kHeard && now - info.last_seen <= window);
    }
    Value value = name == engine.name() ? engine.value() : info.value;

    cJSON* node = cJSON_CreateObject();
    cJSON_AddItemToObject(node, "value", to_json(value));
    Time seen = info.last_seen;
    if (!ever_heard(info) && name == engine.name()) seen = started_;
    if (ever_heard(info) || name == engine.name())
      cJSON_AddNumberToObject(node, "last_seen", round_to(seen + offset, 1.0));
    else
      cJSON_AddNullToObject(node, "last_seen");
    cJSON_AddBoolToObject(
        node, "in_chain",
        std::find(history.begin(), history.end(), name) != history.end());
    cJSON_AddBoolToObject(node, "online", online);
    cJSON_AddItemToObject(nodes, name.c_str(), node);
  }
  if (names.size() < engine.nodes().size())
    cJSON_AddNumberToObject(
        json.get(), "omitted",
        static_cast<double>(engine.nodes().size() - names.size()));
  return print(json);
}

void Status::publish_topology(const Engine& engine, const Presence& presence,
                              Time now, bool force) {
  if (!force && now - topology_built_at_ < kTopologyInterval) return;

  topology_built_at_ = now;
  std::string text = topology_json(engine, presence, now);
  if (text.empty() || text == topology_sent_) return;
  if (publish(topology_topic_, text, true)) topology_sent_ = std::move(text);
}

}  // namespace asyncactor::plugin
