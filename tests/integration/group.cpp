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
        if (auto e = parse_event(name, line)) events_.push_back(*e);
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
    double end = processes_.count(client) ? until
                                          : start + kCycle - kGap / 2;
    out.push_back({client, start, std::min(end, until)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.start < b.start;
  });
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
