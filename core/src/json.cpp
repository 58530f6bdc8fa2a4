// json.cpp: see json.hpp.
#include "asyncactor/json.hpp"

namespace asyncactor {

cJSON* to_json(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNumber:
      return cJSON_CreateNumber(value.as_number());
    case Value::Kind::kString:
      return cJSON_CreateString(value.as_string().c_str());
    case Value::Kind::kNull:
      break;
  }
  return cJSON_CreateNull();
}

cJSON* to_json(const Setup& setup) {
  cJSON* s = cJSON_CreateObject();
  if (!s) return nullptr;
  cJSON_AddNumberToObject(s, "version", static_cast<double>(setup.version));
  cJSON_AddNumberToObject(s, "cycle", setup.cycle);
  cJSON_AddNumberToObject(s, "gap", setup.gap);
  cJSON_AddNumberToObject(s, "nodes", setup.nodes);
  cJSON_AddNumberToObject(s, "splits", setup.splits);
  cJSON_AddNumberToObject(s, "n_hosts", setup.n_hosts);
  cJSON_AddBoolToObject(s, "force_in", setup.force_in);
  return s;
}

}  // namespace asyncactor
