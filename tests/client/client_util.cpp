// client_util.cpp: see client_util.hpp.
#include "client_util.hpp"

#include <cjson/cJSON.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace clienttest {

std::optional<Line> parse_line(const std::string& text) {
  cJSON* obj = cJSON_Parse(text.c_str());
  if (obj == nullptr) return std::nullopt;
  Line line;
  line.text = text;
  const cJSON* event = cJSON_GetObjectItemCaseSensitive(obj, "event");
  const cJSON* node = cJSON_GetObjectItemCaseSensitive(obj, "node");
  const cJSON* time = cJSON_GetObjectItemCaseSensitive(obj, "time");
  if (cJSON_IsString(event)) line.event = event->valuestring;
  if (cJSON_IsString(node)) line.node = node->valuestring;
  if (cJSON_IsNumber(time)) line.time = time->valuedouble;
  cJSON_Delete(obj);
  if (line.event.empty()) return std::nullopt;
  return line;
}

std::optional<Line> wait_event(aatest::Process& client,
                               const std::string& event,
                               double timeout_s, std::vector<Line>* seen,
                               const std::string& node) {
  double end = aatest::now_s() + timeout_s;
  for (double left = timeout_s; left > 0; left = end - aatest::now_s()) {
    auto text = client.read_line(left);
    if (!text) return std::nullopt;
    auto line = parse_line(*text);
    if (!line) continue;
    if (seen) seen->push_back(*line);
    if (line->event == event && (node.empty() || line->node == node))
      return line;
  }
  return std::nullopt;
}

std::vector<std::string> client_args(std::vector<std::string> transport_args,
                                     const std::string& name,
                                     std::vector<std::string> extra) {
  std::vector<std::string> args = {aatest::client_path()};
  args.insert(args.end(), transport_args.begin(), transport_args.end());
  std::vector<std::string> common = {
      "--name", name, "--cycle", std::to_string(kCycle), "--gap",
      std::to_string(kGap), "--json"};
  args.insert(args.end(), common.begin(), common.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> mqtt(int port) {
  return {"--port", std::to_string(port)};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_file(const std::string& path, double timeout_s) {
  double end = aatest::now_s() + timeout_s;
  while (aatest::now_s() < end) {
    if (!read_file(path).empty()) return true;
    usleep(20000);
  }
  return false;
}

std::string describe(const std::vector<Line>& lines) {
  std::string out;
  for (const Line& l : lines) out += l.text + "\n";
  return out;
}

aatest::Broker::Options plain_broker() {
  aatest::Broker::Options o;
  o.with_plugin = false;
  return o;
}

}  // namespace clienttest
