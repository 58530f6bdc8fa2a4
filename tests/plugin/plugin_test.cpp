// plugin_test.cpp: see plugin_test.hpp.
#include "plugin_test.hpp"

#include <cjson/cJSON.h>
#include <unistd.h>

#include <memory>

namespace aatest {

Broker::Options plugin_broker_options(
    std::vector<std::pair<std::string, std::string>> extra) {
  Broker::Options o;
  o.plugin_options = {{"name", "broker"}, {"cycle", "2"}, {"gap", "0.4"}};
  for (auto& kv : extra) o.plugin_options.push_back(std::move(kv));
  return o;
}

bool wait_log(const Broker& broker, const std::string& needle,
              double timeout_s) {
  double end = now_s() + timeout_s;
  for (;;) {
    if (broker.log().find(needle) != std::string::npos) return true;
    if (now_s() >= end) return false;
    usleep(50000);
  }
}

std::optional<std::string> json_path(const std::string& payload,
                                     const std::vector<std::string>& keys) {
  std::unique_ptr<cJSON, decltype(&cJSON_Delete)> root(
      cJSON_ParseWithLength(payload.data(), payload.size()), &cJSON_Delete);
  const cJSON* item = root.get();
  for (const auto& key : keys) {
    if (!cJSON_IsObject(item)) return std::nullopt;
    item = cJSON_GetObjectItemCaseSensitive(item, key.c_str());
  }
  if (!item) return std::nullopt;
  char* text = cJSON_PrintUnformatted(item);
  if (!text) return std::nullopt;
  std::string out(text);
  cJSON_free(text);
  return out;
}

std::optional<std::string> json_field(const std::string& payload,
                                      const std::string& key) {
  return json_path(payload, {key});
}

bool is_ping_from(const std::string& payload, const std::string& node) {
  return json_field(payload, "t") == std::string("\"ping\"") &&
         json_field(payload, "node") == "\"" + node + "\"";
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size()))
    ++n;
  return n;
}

}  // namespace aatest
