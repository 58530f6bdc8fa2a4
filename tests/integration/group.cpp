// group.cpp: see group.hpp.
#include "group.hpp"

#include <cjson/cJSON.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace aatest {

double wall_s() {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6;
}

Broker::Options group_broker_options(const std::string& topic) {
  Broker::Options o;
  o.plugin_options = {{"name", "broker"},
                      {"topic", topic},
                      {"cycle", std::to_string(kCycle)},
                      {"gap", std::to_string(kGap)}};
  return o;
}

std::string json_field(const std::string& payload, const std::string& key) {
  cJSON* obj = cJSON_Parse(payload.c_str());
  if (!obj) return "<not json>";
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key.c_str());
  std::string out = cJSON_IsString(item) ? item->valuestring
                    : cJSON_IsNull(item) ? "<null>"
                                         : "<none>";
  cJSON_Delete(obj);
  return out;
}

std::vector<std::string> json_names(const std::string& payload,
                                    const std::string& key) {
  std::vector<std::string> out;
  cJSON* obj = cJSON_Parse(payload.c_str());
  const cJSON* list = cJSON_GetObjectItemCaseSensitive(obj, key.c_str());
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, list) {
    if (cJSON_IsString(item)) out.push_back(item->valuestring);
  }
  cJSON_Delete(obj);
  return out;
}

std::vector<std::string> json_keys(const std::string& payload,
                                   const std::string& key) {
  std::vector<std::string> out;
  cJSON* obj = cJSON_Parse(payload.c_str());
  const cJSON* members = cJSON_GetObjectItemCaseSensitive(obj, key.c_str());
  const cJSON* item = nullptr;
  if (cJSON_IsObject(members)) {
    cJSON_ArrayForEach(item, members) {
      if (item->string) out.push_back(item->string);
    }
  }
  cJSON_Delete(obj);
  return out;
}

std::optional<double> json_number(const std::string& payload,
                                  const std::string& key) {
  cJSON* obj = cJSON_Parse(payload.c_str());
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key.c_str());
  std::optional<double> out;
  if (cJSON_IsNumber(item)) out = item->valuedouble;
  cJSON_Delete(obj);
  return out;
}

std::map<std::string, TopologyNode> topology_nodes(
    const std::string& topology) {
  std::map<std::string, TopologyNode> out;
  cJSON* obj = cJSON_Parse(topology.c_str());
  const cJSON* nodes = cJSON_GetObjectItemCaseSensitive(obj, "nodes");
  const cJSON* node = nullptr;
  if (cJSON_IsObject(nodes)) {
    cJSON_ArrayForEach(node, nodes) {
      if (!node->string) continue;
      TopologyNode& info = out[node->string];
      info.online =
          cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(node, "online"));
      info.in_chain =
          cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(node, "in_chain"));
    }
  }
  cJSON_Delete(obj);
  return out;
}

std::vector<std::string> online_nodes(const std::string& topology) {
  std::vector<std::string> out;
  for (const auto& [name, info] : topology_nodes(topology))
    if (info.online) out.push_back(name);
  return out;
}

std::vector<Subscriber::Received> drain(Subscriber& sub) {
  std::vector<Subscriber::Received> out;
  while (auto m = sub.next(0)) out.push_back(*m);
  return out;
}

std::vector<TagInterval> broker_tags(
    const std::vector<Subscriber::Received>& leaders, const std::string& name) {
  std::vector<TagInterval> out;
  for (size_t i = 0; i < leaders.size(); ++i) {
    auto since = json_number(leaders[i].payload, "since");
    if (!since || json_field(leaders[i].payload, "node") != name) continue;
    double end = *since + kCycle - kGap / 2 - kPluginSlack;
    if (i + 1 < leaders.size()) {
      const std::string& next = leaders[i + 1].payload;
      auto next_since = json_number(next, "since");
      bool named = json_field(next, "node") != "<null>";
      if (next_since)
        end = std::min(end, named ? *next_since - kGap : *next_since);
    }
    if (end > *since) out.push_back({name, *since, end});
  }
  return out;
}

ClientGroup::ClientGroup(int port, std::string topic)
    : port_(port), topic_(std::move(topic)) {}

void ClientGroup::add(const std::string& name, const std::string& value,
                      const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--port",  std::to_string(port_),
                                   "--topic", topic_,
                                   "--name",  name,
                                   "--value", value,
                                   "--cycle", std::to_string(kCycle),
                                   "--gap",   std::to_string(kGap),
                                   "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  add_argv(name, args);
}

void ClientGroup::add_at(int port, const std::string& name,
                         const std::string& value,
                         const std::vector<std::string>& extra) {
  int saved = port_;
  port_ = port;
  add(name, value, extra);
  port_ = saved;
}

void ClientGroup::add_argv(const std::string& name,
                           const std::vector<std::string>& args) {
  std::vector<std::string> argv = {client_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  processes_.emplace(name, Process::spawn(argv));
}

Process& ClientGroup::process(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end()) throw std::runtime_error("no client " + name);
  return it->second;
}

void ClientGroup::forget(const std::string& name) {
  collect(0);
  processes_.erase(name);
}

static std::string json_string(const cJSON* obj, const char* key) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(item) ? item->valuestring : "";
}

static std::optional<ClientEvent> parse_event(const std::string& client,
                                              const std::string& line) {
  cJSON* obj = cJSON_Parse(line.c_str());
  if (!obj) return std::nullopt;
  ClientEvent e;
  e.client = client;
  e.event = json_string(obj, "event");
  e.node = json_string(obj, "node");
  const cJSON* t = cJSON_GetObjectItemCaseSensitive(obj, "time");
  e.time = cJSON_IsNumber(t) ? t->valuedouble : 0;
  e.line = line;
  cJSON_Delete(obj);
  if (e.event.empty()) return std::nullopt;
  return e;
}

void ClientGroup::collect(double timeout_s) {
  double end = now_s() + timeout_s;
  do {
    for (auto& [name, proc] : processes_) {
      for (const auto& line : proc.poll_lines()) {
        if (auto e = parse_event(name, line)) {
          e->seen = wall_s();
          events_.push_back(*e);
        }
      }
    }
    if (now_s() < end) usleep(10000);
  } while (now_s() < end);
}

void ClientGroup::run_for(double seconds) { collect(seconds); }

std::optional<ClientEvent> ClientGroup::wait_event(
    const std::string& event, double timeout_s, const std::string& not_from) {
  size_t seen = events_.size();
  double end = now_s() + timeout_s;
  while (now_s() < end) {
    collect(0.02);
    for (; seen < events_.size(); ++seen) {
      const ClientEvent& e = events_[seen];
      if (e.event == event && e.client != not_from) return e;
    }
  }
  return std::nullopt;
}

std::vector<TagInterval> ClientGroup::tag_intervals(double until) const {
  if (until == 0) until = wall_s();
  std::map<std::string, double> open;
  std::vector<TagInterval> out;
  for (const auto& e : events_) {
    if (e.event == "tag") {
      open[e.client] = e.time;
    } else if (e.event == "untag" || e.event == "detag") {
      auto it = open.find(e.client);
      if (it == open.end()) continue;
      out.push_back({e.client, it->second, e.time});
      open.erase(it);
    }
  }
  for (const auto& [client, start] : open) {
    // A killed client never prints its untag: its tag ends with the cycle.
    double end = processes_.count(client) ? until : start + kCycle - kGap / 2;
    out.push_back({client, start, std::min(end, until)});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.start < b.start; });
  return out;
}

std::vector<std::string> ClientGroup::overlaps(
    const std::vector<TagInterval>& intervals, double tolerance) {
  std::vector<std::string> found;
  for (size_t i = 0; i < intervals.size(); ++i) {
    for (size_t j = i + 1; j < intervals.size(); ++j) {
      const auto& a = intervals[i];
      const auto& b = intervals[j];
      if (a.node == b.node) continue;
      double overlap = std::min(a.end, b.end) - std::max(a.start, b.start);
      if (overlap > tolerance) {
        std::ostringstream s;
        s.precision(15);
        s << a.node << " [" << a.start << ", " << a.end << "] and " << b.node
          << " [" << b.start << ", " << b.end << "]";
        found.push_back(s.str());
      }
    }
  }
  return found;
}

std::vector<TagInterval> ClientGroup::clip(
    const std::vector<TagInterval>& intervals, double from, double to) {
  std::vector<TagInterval> out;
  for (auto i : intervals) {
    i.start = std::max(i.start, from);
    i.end = std::min(i.end, to);
    if (i.start < i.end) out.push_back(i);
  }
  return out;
}

std::vector<TagInterval> ClientGroup::only(
    const std::vector<TagInterval>& intervals,
    const std::vector<std::string>& names) {
  std::vector<TagInterval> out;
  for (const auto& i : intervals)
    if (std::find(names.begin(), names.end(), i.node) != names.end())
      out.push_back(i);
  return out;
}

std::vector<ClientEvent> ClientGroup::events_of(
    const std::string& client) const {
  std::vector<ClientEvent> out;
  for (const auto& e : events_)
    if (e.client == client) out.push_back(e);
  return out;
}

std::map<std::string, int> ClientGroup::tag_counts() const {
  std::map<std::string, int> counts;
  for (const auto& e : events_)
    if (e.event == "tag") ++counts[e.client];
  return counts;
}

std::string ClientGroup::describe() const {
  std::ostringstream s;
  for (const auto& e : events_) s << e.client << ": " << e.line << "\n";
  return s.str();
}

}  // namespace aatest
