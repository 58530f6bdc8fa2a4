// report.cpp: Figures as JSON (cJSON) and as a readable summary.
#include <cJSON.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include "asyncactor/sim/figures.hpp"

namespace asyncactor::sim {
namespace {

void add_optional(cJSON* obj, const char* key, const std::optional<double>& v) {
  if (v) cJSON_AddNumberToObject(obj, key, *v);
  else cJSON_AddNullToObject(obj, key);
}

cJSON* beacons_json(const Figures& f) {
  cJSON* b = cJSON_CreateObject();
  for (int t = 0; t < 4; ++t) {
    const char* name = message_type_name(static_cast<MessageType>(t));
    cJSON_AddNumberToObject(b, name, double(f.beacons[t]));
  }
  return b;
}

cJSON* safety_json(const Figures& f) {
  cJSON* s = cJSON_CreateObject();
  cJSON_AddNumberToObject(s, "count", double(f.safety_violations));
  cJSON* first = cJSON_AddArrayToObject(s, "first");
  for (const auto& v : f.first_violations) {
    cJSON* item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "time", v.time);
    cJSON* names = cJSON_AddArrayToObject(item, "nodes");
    for (const auto& n : v.nodes) {
      cJSON_AddItemToArray(names, cJSON_CreateString(n.c_str()));
    }
    cJSON_AddItemToArray(first, item);
  }
  return s;
}

cJSON* heals_json(const Figures& f) {
  cJSON* arr = cJSON_CreateArray();
  for (const auto& h : f.heals) {
    cJSON* item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "time", h.time);
    add_optional(item, "heal_s", h.heal_s);
    cJSON_AddNumberToObject(item, "sides", h.sides);
    cJSON_AddNumberToObject(item, "sides_recovered", h.sides_recovered);
    cJSON_AddItemToArray(arr, item);
  }
  return arr;
}

cJSON* clashes_json(const Figures& f) {
  cJSON* arr = cJSON_CreateArray();
  for (const auto& c : f.clash_reports) {
    cJSON* item = cJSON_CreateObject();
    cJSON_AddNumberToObject(item, "time", c.time);
    cJSON_AddNumberToObject(item, "node", double(c.node));
    cJSON_AddStringToObject(item, "name", c.name.c_str());
    cJSON_AddBoolToObject(item, "must_yield", c.must_yield);
    cJSON_AddItemToArray(arr, item);
  }
  return arr;
}

cJSON* join_json(const Figures& f) {
  cJSON* j = cJSON_CreateObject();
  cJSON_AddNumberToObject(j, "joiners", double(f.joiners));
  cJSON_AddNumberToObject(j, "messages_per_node", f.join_messages_per_node);
  cJSON_AddNumberToObject(j, "recovers_per_node", f.join_recovers_per_node);
  cJSON_AddNumberToObject(j, "detags", double(f.join_detags));
  return j;
}

cJSON* faults_json(const Figures& f) {
  cJSON* d = cJSON_CreateObject();
  for (int r = 1; r < static_cast<int>(DropReason::kCount); ++r) {
    if (f.drops[r] == 0) continue;
    const char* name = drop_reason_name(static_cast<DropReason>(r));
    cJSON_AddNumberToObject(d, name, double(f.drops[r]));
  }
  return d;
}

cJSON* versions_json(const Figures& f) {
  cJSON* v = cJSON_CreateObject();
  for (const auto& [version, count] : f.setup_versions) {
    cJSON_AddNumberToObject(v, std::to_string(version).c_str(), double(count));
  }
  return v;
}

void add_counts(cJSON* o, const Figures& f) {
  cJSON_AddNumberToObject(o, "tags", double(f.tags));
  cJSON_AddNumberToObject(o, "untags", double(f.untags));
  cJSON_AddNumberToObject(o, "detags", double(f.detags));
  cJSON_AddNumberToObject(o, "recovers", double(f.recovers));
  cJSON_AddNumberToObject(o, "setup_events", double(f.setups));
  cJSON_AddNumberToObject(o, "isolated", double(f.isolated));
  cJSON_AddNumberToObject(o, "connected", double(f.connected));
  cJSON_AddNumberToObject(o, "good_node", double(f.good_nodes));
  cJSON_AddNumberToObject(o, "deliveries", double(f.deliveries));
  cJSON_AddNumberToObject(o, "lost", double(f.lost));
  cJSON_AddNumberToObject(o, "timer_stalls", double(f.timer_stalls));
}

void add_timing(cJSON* o, const Figures& f) {
  cJSON_AddNumberToObject(o, "beacons_per_tag", f.beacons_per_tag);
  add_optional(o, "steady_beacons_per_tag", f.steady_beacons_per_tag);
  cJSON_AddNumberToObject(o, "steady_from", f.steady_from);
  cJSON_AddNumberToObject(o, "max_untagged_s", f.max_untagged.seconds);
  cJSON_AddNumberToObject(o, "max_untagged_from", f.max_untagged.from);
  cJSON_AddNumberToObject(o, "liveness_bound_s", f.liveness_bound_s);
  cJSON_AddNumberToObject(o, "liveness_violations",
                          double(f.liveness_violations));
  add_optional(o, "first_tag_s", f.first_tag_s);
  cJSON_AddNumberToObject(o, "heal_overlaps", double(f.heal_overlaps));
  cJSON_AddNumberToObject(o, "heal_overlap_max_s", f.heal_overlap_max_s);
  add_optional(o, "heal_s", max_heal_s(f));
  add_optional(o, "first_clash_s", f.first_clash_s);
}

std::string fmt(const char* format, double a, double b = 0, double c = 0) {
  char buf[160];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

std::string opt(const std::optional<double>& v) {
  return v ? fmt("%.3f", *v) : "-";
}

}  // namespace

std::optional<double> max_heal_s(const Figures& f) {
  if (f.heals.empty()) return std::nullopt;
  double worst = 0;
  for (const auto& h : f.heals) {
    if (!h.heal_s) return std::nullopt;
    worst = std::max(worst, *h.heal_s);
  }
  return worst;
}

std::string to_json(const Figures& f) {
  cJSON* o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "label", f.label.c_str());
  cJSON_AddNumberToObject(o, "seed", double(f.seed));
  cJSON_AddNumberToObject(o, "nodes", double(f.nodes));
  cJSON_AddNumberToObject(o, "cycles", f.cycles);
  cJSON_AddNumberToObject(o, "sim_s", f.sim_s);
  cJSON_AddNumberToObject(o, "wall_s", f.wall_s);
  cJSON_AddItemToObject(o, "beacons", beacons_json(f));
  add_counts(o, f);
  add_timing(o, f);
  cJSON_AddItemToObject(o, "safety_violations", safety_json(f));
  cJSON_AddItemToObject(o, "heals", heals_json(f));
  cJSON_AddItemToObject(o, "join", join_json(f));
  cJSON_AddNumberToObject(o, "clash_count", double(f.clash_reports.size()));
  cJSON_AddItemToObject(o, "clash_reports", clashes_json(f));
  cJSON_AddItemToObject(o, "setup_versions", versions_json(f));
  cJSON_AddItemToObject(o, "drops", faults_json(f));
  char* text = cJSON_PrintUnformatted(o);
  std::string out = text ? text : "{}";
  cJSON_free(text);
  cJSON_Delete(o);
  return out;
}

std::string to_text(const Figures& f) {
  std::ostringstream out;
  std::uint64_t dropped = 0;
  for (auto d : f.drops) dropped += d;
  out << "nodes " << f.nodes << ", " << fmt("%.0f", f.cycles)
      << " cycles, seed " << f.seed << fmt(": %.3f s wall\n", f.wall_s);
  out << "messages: init " << f.beacons[0] << ", vers " << f.beacons[1]
      << ", ping " << f.beacons[2] << ", hist " << f.beacons[3] << "\n";
  out << "tags " << f.tags << ", detags " << f.detags << ", recovers "
      << f.recovers << fmt(", beacons/tag %.4f", f.beacons_per_tag)
      << " (steady " << opt(f.steady_beacons_per_tag) << ")\n";
  out << "safety violations " << f.safety_violations
      << fmt(", longest untagged %.3f s (bound %.3f s)",
             f.max_untagged.seconds, f.liveness_bound_s)
      << ", liveness violations " << f.liveness_violations << "\n";
  out << "heals " << f.heals.size() << ", worst heal_s "
      << opt(max_heal_s(f)) << ", clash reports " << f.clash_reports.size()
      << ", dropped payloads " << dropped << ", timer stalls "
      << f.timer_stalls << "\n";
  if (f.joiners > 0) {
    out << "joins " << f.joiners
        << fmt(": %.2f extra messages and %.2f recovers per join\n",
               f.join_messages_per_node, f.join_recovers_per_node);
  }
  return out.str();
}

}  // namespace asyncactor::sim
