// scenario.cpp: scenario defaults, checks and the JSON reader.
#include "asyncactor/sim/scenario.hpp"

#include <cJSON.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace asyncactor::sim {
namespace {

using JsonPtr = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

// Reader walks one parsed document and remembers the first error.
class Reader {
 public:
  explicit Reader(Scenario& s) : s_(s) {}

  std::string error;

  bool fail(const std::string& what) {
    if (error.empty()) error = what;
    return false;
  }

  // time() reads seconds, or cycles from a string such as "12c".
  bool time(const cJSON* item, const char* what, double& out) {
    if (cJSON_IsNumber(item)) {
      out = item->valuedouble;
      return true;
    }
    if (!cJSON_IsString(item)) return fail(std::string(what) + ": not a time");
    char* end = nullptr;
    double n = std::strtod(item->valuestring, &end);
    if (end == item->valuestring || std::string(end) != "c") {
      return fail(std::string(what) + ": want seconds or \"<n>c\"");
    }
    out = n * cycle_length(s_);
    return true;
  }

  bool number(const cJSON* obj, const char* key, double& out) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item) return true;
    if (!cJSON_IsNumber(item)) return fail(std::string(key) + ": not a number");
    out = item->valuedouble;
    return true;
  }

  template <typename Int>
  bool integer(const cJSON* obj, const char* key, Int& out) {
    double d = static_cast<double>(out);
    if (!number(obj, key, d)) return false;
    if (d < 0 || d != std::floor(d)) {
      return fail(std::string(key) + ": not a whole number >= 0");
    }
    out = static_cast<Int>(d);
    return true;
  }

  bool boolean(const cJSON* obj, const char* key, bool& out) {
    const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item) return true;
    if (!cJSON_IsBool(item)) return fail(std::string(key) + ": not a boolean");
    out = cJSON_IsTrue(item);
    return true;
  }

  bool value(const cJSON* item, Value& out) {
    if (cJSON_IsNull(item)) {
      out = Value();
    } else if (cJSON_IsNumber(item)) {
      out = Value::number(item->valuedouble);
    } else if (cJSON_IsString(item)) {
      out = Value::string(item->valuestring);
    } else {
      return fail("value: want null, a number or a string");
    }
    return true;
  }

  bool setup(const cJSON* obj, Setup& out) {
    if (!cJSON_IsObject(obj)) return fail("setup: not an object");
    double version = static_cast<double>(out.version);
    bool ok = number(obj, "version", version) &&
              number(obj, "cycle", out.cycle) && number(obj, "gap", out.gap) &&
              integer(obj, "nodes", out.nodes) &&
              integer(obj, "splits", out.splits) &&
              integer(obj, "n_hosts", out.n_hosts) &&
              boolean(obj, "force_in", out.force_in);
    out.version = static_cast<std::int64_t>(version);
    return ok;
  }

  bool indices(const cJSON* arr, std::vector<std::size_t>& out);
  bool delay(const cJSON* obj);
  bool start(const cJSON* obj);
  bool node_spec(const cJSON* obj);
  bool partition(const cJSON* obj);
  bool action(const cJSON* obj);
  bool top(const cJSON* root);

 private:
  Scenario& s_;
};

bool Reader::indices(const cJSON* arr, std::vector<std::size_t>& out) {
  if (!cJSON_IsArray(arr)) return fail("want an array of node indices");
  const cJSON* item = nullptr;
  cJSON_ArrayForEach(item, arr) {
    if (!cJSON_IsNumber(item) || item->valuedouble < 0) {
      return fail("node index: not a number >= 0");
    }
    out.push_back(static_cast<std::size_t>(item->valuedouble));
  }
  return true;
}

bool Reader::delay(const cJSON* obj) {
  if (!cJSON_IsObject(obj)) return fail("delay: not an object");
  DelayModel& d = s_.delay;
  const cJSON* dist = cJSON_GetObjectItemCaseSensitive(obj, "dist");
  if (dist) {
    std::string name = cJSON_IsString(dist) ? dist->valuestring : "";
    if (name == "fixed") d.kind = DelayKind::kFixed;
    else if (name == "uniform") d.kind = DelayKind::kUniform;
    else if (name == "tail") d.kind = DelayKind::kTail;
    else return fail("delay.dist: want fixed, uniform or tail");
  }
  double max_gap = -1;
  bool ok = number(obj, "min", d.min) && number(obj, "max", d.max) &&
            number(obj, "scale", d.scale) && number(obj, "shape", d.shape) &&
            number(obj, "max_gap", max_gap);
  if (max_gap >= 0) d.max = max_gap * s_.setup.gap;
  return ok;
}

bool Reader::start(const cJSON* obj) {
  if (!cJSON_IsObject(obj)) return fail("start: not an object");
  StartPlan& p = s_.start;
  const cJSON* at = cJSON_GetObjectItemCaseSensitive(obj, "at");
  const cJSON* join = cJSON_GetObjectItemCaseSensitive(obj, "join_at");
  const cJSON* stagger = cJSON_GetObjectItemCaseSensitive(obj, "stagger");
  return (!at || time(at, "start.at", p.at)) &&
         (!join || time(join, "start.join_at", p.join_at)) &&
         (!stagger || time(stagger, "start.stagger", p.stagger)) &&
         integer(obj, "initial", p.initial);
}

bool Reader::node_spec(const cJSON* obj) {
  if (!cJSON_IsObject(obj)) return fail("node_specs: want objects");
  NodeSpec spec;
  if (!integer(obj, "index", spec.index)) return false;
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(obj, "name");
  if (item) {
    if (!cJSON_IsString(item)) return fail("name: not a string");
    spec.name = item->valuestring;
  }
  item = cJSON_GetObjectItemCaseSensitive(obj, "value");
  if (item && !value(item, spec.value.emplace())) return false;
  item = cJSON_GetObjectItemCaseSensitive(obj, "enabled");
  if (item && !boolean(obj, "enabled", spec.enabled.emplace())) return false;
  item = cJSON_GetObjectItemCaseSensitive(obj, "start");
  if (item && !time(item, "start", spec.start.emplace())) return false;
  item = cJSON_GetObjectItemCaseSensitive(obj, "slack");
  if (item && !number(obj, "slack", spec.slack.emplace())) return false;
  item = cJSON_GetObjectItemCaseSensitive(obj, "setup");
  if (item && !setup(item, spec.setup.emplace(s_.setup))) return false;
  s_.nodes.push_back(std::move(spec));
  return true;
}

bool Reader::partition(const cJSON* obj) {
  if (!cJSON_IsObject(obj)) return fail("partitions: want objects");
  Partition p;
  const cJSON* from = cJSON_GetObjectItemCaseSensitive(obj, "from");
  const cJSON* to = cJSON_GetObjectItemCaseSensitive(obj, "to");
  const cJSON* groups = cJSON_GetObjectItemCaseSensitive(obj, "groups");
  if (!from || !to || !cJSON_IsArray(groups)) {
    return fail("partition: needs from, to and groups");
  }
  if (!time(from, "from", p.from) || !time(to, "to", p.to)) return false;
  const cJSON* group = nullptr;
  cJSON_ArrayForEach(group, groups) {
    if (!indices(group, p.groups.emplace_back())) return false;
  }
  s_.partitions.push_back(std::move(p));
  return true;
}

bool Reader::action(const cJSON* obj) {
  if (!cJSON_IsObject(obj)) return fail("actions: want objects");
  Action a;
  const cJSON* at = cJSON_GetObjectItemCaseSensitive(obj, "at");
  const cJSON* kind = cJSON_GetObjectItemCaseSensitive(obj, "do");
  const cJSON* nodes = cJSON_GetObjectItemCaseSensitive(obj, "nodes");
  if (!at || !cJSON_IsString(kind) || !nodes) {
    return fail("action: needs at, do and nodes");
  }
  std::string k = kind->valuestring;
  if (k == "crash") a.kind = ActionKind::kCrash;
  else if (k == "restart") a.kind = ActionKind::kRestart;
  else if (k == "suspend") a.kind = ActionKind::kSuspend;
  else if (k == "resume") a.kind = ActionKind::kResume;
  else if (k == "set_value") a.kind = ActionKind::kSetValue;
  else return fail("action.do: unknown action " + k);
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, "value");
  if (v && !value(v, a.value)) return false;
  if (!time(at, "action.at", a.at) || !indices(nodes, a.nodes)) return false;
  s_.actions.push_back(std::move(a));
  return true;
}

bool Reader::top(const cJSON* root) {
  if (!cJSON_IsObject(root)) return fail("scenario: not a JSON object");
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(root, "label");
  if (cJSON_IsString(item)) s_.label = item->valuestring;
  double cycles = s_.cycles;
  if (!integer(root, "seed", s_.seed) ||
      !integer(root, "nodes", s_.node_count) ||
      !number(root, "cycles", cycles) ||
      !number(root, "slack", s_.slack) ||
      !number(root, "warmup_cycles", s_.warmup_cycles)) {
    return false;
  }
  s_.cycles = cycles;
  item = cJSON_GetObjectItemCaseSensitive(root, "setup");
  if (item) {
    if (!setup(item, s_.setup)) return false;
    if (cJSON_GetObjectItemCaseSensitive(item, "n_hosts")) {
      s_.n_hosts_auto = false;
    }
  }
  item = cJSON_GetObjectItemCaseSensitive(root, "value");
  if (item && !value(item, s_.value)) return false;
  item = cJSON_GetObjectItemCaseSensitive(root, "delay");
  if (item && !delay(item)) return false;
  item = cJSON_GetObjectItemCaseSensitive(root, "start");
  if (item && !start(item)) return false;
  const struct {
    const char* key;
    bool (Reader::*read)(const cJSON*);
  } lists[] = {{"node_specs", &Reader::node_spec},
               {"partitions", &Reader::partition},
               {"actions", &Reader::action}};
  for (const auto& list : lists) {
    const cJSON* arr = cJSON_GetObjectItemCaseSensitive(root, list.key);
    if (!arr) continue;
    if (!cJSON_IsArray(arr)) return fail(std::string(list.key) + ": no array");
    const cJSON* elem = nullptr;
    cJSON_ArrayForEach(elem, arr) {
      if (!(this->*list.read)(elem)) return false;
    }
  }
  return true;
}

std::string check_node_index(const Scenario& s, std::size_t index) {
  if (index < s.node_count) return "";
  return "node index " + std::to_string(index) + " out of range";
}

std::string check_lists(const Scenario& s) {
  for (const auto& spec : s.nodes) {
    std::string err = check_node_index(s, spec.index);
    if (err.empty() && spec.setup) {
      if (auto bad = validate(*spec.setup)) err = "node setup: " + *bad;
    }
    if (err.empty() && spec.slack && *spec.slack < 0) err = "negative slack";
    if (!err.empty()) return err;
  }
  for (const auto& p : s.partitions) {
    if (!(p.to >= p.from)) return "partition ends before it starts";
    for (const auto& g : p.groups) {
      for (auto i : g) {
        if (auto err = check_node_index(s, i); !err.empty()) return err;
      }
    }
  }
  for (const auto& a : s.actions) {
    for (auto i : a.nodes) {
      if (auto err = check_node_index(s, i); !err.empty()) return err;
    }
  }
  return "";
}

}  // namespace

double cycle_length(const Scenario& scenario) {
  return scenario.setup.cycle + scenario.setup.gap;
}

double duration(const Scenario& scenario) {
  return scenario.cycles * cycle_length(scenario);
}

std::string load_scenario(const std::string& json, Scenario& scenario) {
  JsonPtr root(cJSON_ParseWithLength(json.data(), json.size()), cJSON_Delete);
  if (!root) return "scenario: not valid JSON";
  Reader reader(scenario);
  reader.top(root.get());
  return reader.error;
}

std::string load_scenario_file(const std::string& path, Scenario& scenario) {
  std::ifstream in(path);
  if (!in) return "cannot read " + path;
  std::ostringstream text;
  text << in.rdbuf();
  std::string err = load_scenario(text.str(), scenario);
  return err.empty() ? "" : path + ": " + err;
}

std::string check_scenario(const Scenario& s) {
  if (s.node_count == 0) return "no nodes";
  if (!(s.cycles > 0)) return "cycles must be > 0";
  if (auto bad = validate(s.setup)) return "setup: " + *bad;
  const DelayModel& d = s.delay;
  if (!(d.min >= 0) || !(d.max >= 0) || d.min > d.max) {
    return "delay: need 0 <= min <= max";
  }
  if (d.kind == DelayKind::kTail && !(d.shape > 0)) {
    return "delay: tail shape must be > 0";
  }
  if (!(s.slack >= 0)) return "negative slack";
  if (!(s.start.stagger >= 0)) return "negative stagger";
  return check_lists(s);
}

std::string node_name(std::size_t index) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "n%05zu", index);
  return buf;
}

}  // namespace asyncactor::sim
