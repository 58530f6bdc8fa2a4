// codec.cpp: the JSON wire form of the four messages (PROTOCOL section 4).
#include <cjson/cJSON.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "asyncactor/message.hpp"
#include "check.hpp"

namespace asyncactor {

namespace {

using Json = std::unique_ptr<cJSON, decltype(&cJSON_Delete)>;

constexpr const char* kTypeNames[] = {"init", "vers", "ping", "hist"};

// Integral doubles below this magnitude are written as integers.
constexpr double kExactIntegers = 9007199254740992.0;  // 2^53

bool is_hex_zero(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) return false;
  return s.compare(at, 4, "0000") == 0;
}

// has_escaped_nul() finds a \u0000 escape inside a JSON string: cJSON would
// silently cut the string there.
bool has_escaped_nul(std::string_view s) {
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') {
      in_string = !in_string;
    } else if (in_string && s[i] == '\\' && i + 1 < s.size()) {
      if (s[i + 1] == 'u' && is_hex_zero(s, i + 2)) return true;
      ++i;  // skip the escaped character, whatever it is
    }
  }
  return false;
}

bool only_space(const char* p, const char* end) {
  for (; p < end; ++p)
    if (!std::strchr(" \t\r\n", *p)) return false;
  return true;
}

// parse() turns a payload into a cJSON tree, or null when it is not exactly
// one well-formed JSON text in UTF-8.
Json parse(std::string_view payload) {
  Json none(nullptr, cJSON_Delete);
  if (!detail::valid_utf8(payload) || has_escaped_nul(payload)) return none;

  const char* end = nullptr;
  Json json(cJSON_ParseWithLengthOpts(payload.data(), payload.size(), &end,
                                      false),
            cJSON_Delete);
  if (!json || !end) return none;
  if (!only_space(end, payload.data() + payload.size())) return none;
  return json;
}

const cJSON* field(const cJSON* object, const char* key) {
  return cJSON_GetObjectItemCaseSensitive(object, key);
}

DropReason read_type(const cJSON* object, MessageType& type) {
  const cJSON* t = field(object, "t");
  if (!cJSON_IsString(t)) return DropReason::kBadType;
  for (int i = 0; i < 4; ++i) {
    if (std::strcmp(t->valuestring, kTypeNames[i]) == 0) {
      type = static_cast<MessageType>(i);
      return DropReason::kNone;
    }
  }
  return DropReason::kBadType;
}

DropReason read_string(const cJSON* object, const char* key,
                       std::string& out) {
  const cJSON* item = field(object, key);
  if (!item) return DropReason::kMissingField;
  if (!cJSON_IsString(item)) return DropReason::kWrongFieldType;
  out = item->valuestring;
  return DropReason::kNone;
}

DropReason read_number(const cJSON* object, const char* key, double& out) {
  const cJSON* item = field(object, key);
  if (!item) return DropReason::kMissingField;
  if (!cJSON_IsNumber(item)) return DropReason::kWrongFieldType;
  out = item->valuedouble;
  return DropReason::kNone;
}

// read_integer() reads a whole number in [low, high]; a fraction is a wrong
// type, a whole number out of range an invalid setup.
template <typename Int>
DropReason read_integer(const cJSON* object, const char* key, Int& out) {
  double d = 0;
  DropReason why = read_number(object, key, d);
  if (why != DropReason::kNone) return why;
  if (!std::isfinite(d)) return DropReason::kBadSetup;
  if (d != std::floor(d)) return DropReason::kWrongFieldType;

  double low = static_cast<double>(std::numeric_limits<Int>::min());
  double high = static_cast<double>(std::numeric_limits<Int>::max());
  if (d < low || d >= high) return DropReason::kBadSetup;
  out = static_cast<Int>(d);
  return DropReason::kNone;
}

DropReason read_bool(const cJSON* object, const char* key, bool& out) {
  const cJSON* item = field(object, key);
  if (!item) return DropReason::kMissingField;
  if (!cJSON_IsBool(item)) return DropReason::kWrongFieldType;
  out = cJSON_IsTrue(item);
  return DropReason::kNone;
}

DropReason read_value(const cJSON* object, Value& out) {
  const cJSON* item = field(object, "value");
  if (!item) return DropReason::kMissingField;
  if (cJSON_IsNull(item)) {
    out = Value();
  } else if (cJSON_IsNumber(item)) {
    out = Value::number(item->valuedouble);
  } else if (cJSON_IsString(item)) {
    out = Value::string(item->valuestring);
  } else {
    return DropReason::kBadValue;
  }
  return DropReason::kNone;
}

DropReason read_history(const cJSON* object, std::vector<std::string>& out) {
  const cJSON* item = field(object, "history");
  if (!item) return DropReason::kMissingField;
  if (!cJSON_IsArray(item)) return DropReason::kWrongFieldType;
  if (cJSON_GetArraySize(item) > static_cast<int>(kMaxHistoryEntries))
    return DropReason::kBadHistory;

  const cJSON* entry = nullptr;
  cJSON_ArrayForEach(entry, item) {
    if (!cJSON_IsString(entry)) return DropReason::kBadHistory;
    out.emplace_back(entry->valuestring);
  }
  return DropReason::kNone;
}

DropReason read_setup(const cJSON* o, Setup& s) {
  DropReason why = read_integer(o, "version", s.version);
  if (why == DropReason::kNone) why = read_number(o, "cycle", s.cycle);
  if (why == DropReason::kNone) why = read_number(o, "gap", s.gap);
  if (why == DropReason::kNone) why = read_integer(o, "nodes", s.nodes);
  if (why == DropReason::kNone) why = read_integer(o, "splits", s.splits);
  if (why == DropReason::kNone) why = read_integer(o, "n_hosts", s.n_hosts);
  if (why == DropReason::kNone) why = read_bool(o, "force_in", s.force_in);
  return why;
}

DropReason read_beacon(const cJSON* object, Message& m) {
  DropReason why = read_value(object, m.value);
  if (why != DropReason::kNone) return why;
  return read_history(object, m.history);
}

DropReason read_fields(const cJSON* object, Message& m) {
  if (m.type == MessageType::kHist) return read_beacon(object, m);

  DropReason why = read_string(object, "node", m.node);
  if (why != DropReason::kNone) return why;
  if (m.type == MessageType::kVers) return read_setup(object, m.setup);
  if (m.type == MessageType::kPing) return read_beacon(object, m);
  return DropReason::kNone;
}

// format_number() writes `d` as a JSON number: whole numbers without a
// fraction, others in the shortest form that reads back exactly.
std::string format_number(double d) {
  if (!std::isfinite(d)) return "null";

  char text[32];
  if (std::fabs(d) < kExactIntegers && d == std::floor(d)) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(d));
    return text;
  }
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, d);
    for (char* p = text; *p; ++p)
      if (*p == ',') *p = '.';  // a locale's decimal comma
    if (std::strtod(text, nullptr) == d) break;
  }
  return text;
}

void add_number(cJSON* object, const char* key, double d) {
  cJSON_AddItemToObject(object, key, cJSON_CreateRaw(format_number(d).c_str()));
}

void add_value(cJSON* object, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      cJSON_AddNullToObject(object, "value");
      break;
    case Value::Kind::kNumber:
      add_number(object, "value", value.as_number());
      break;
    case Value::Kind::kString:
      cJSON_AddStringToObject(object, "value", value.as_string().c_str());
      break;
  }
}

void add_history(cJSON* object, const std::vector<std::string>& history) {
  cJSON* list = cJSON_AddArrayToObject(object, "history");
  for (const auto& name : history)
    cJSON_AddItemToArray(list, cJSON_CreateString(name.c_str()));
}

void add_setup(cJSON* object, const Setup& s) {
  add_number(object, "version", static_cast<double>(s.version));
  add_number(object, "cycle", s.cycle);
  add_number(object, "gap", s.gap);
  add_number(object, "nodes", s.nodes);
  add_number(object, "splits", s.splits);
  add_number(object, "n_hosts", s.n_hosts);
  cJSON_AddBoolToObject(object, "force_in", s.force_in);
}

void add_fields(cJSON* object, const Message& m) {
  if (m.type != MessageType::kHist)
    cJSON_AddStringToObject(object, "node", m.node.c_str());
  if (m.type == MessageType::kVers) add_setup(object, m.setup);
  if (m.type == MessageType::kPing || m.type == MessageType::kHist) {
    add_value(object, m.value);
    add_history(object, m.history);
  }
}

bool same_beacon(const Message& a, const Message& b) {
  return a.value == b.value && a.history == b.history;
}

}  // namespace

const char* message_type_name(MessageType type) {
  int i = static_cast<int>(type);
  return i >= 0 && i < 4 ? kTypeNames[i] : "unknown";
}

const char* drop_reason_name(DropReason reason) {
  static constexpr const char* kNames[] = {
      "none",         "too_large",        "bad_json",  "not_object",
      "bad_type",     "missing_field",    "wrong_field_type",
      "bad_name",     "bad_value",        "bad_history",
      "bad_setup",    "inconsistent",     "unsafe_setup"};
  int i = static_cast<int>(reason);
  return i >= 0 && i < static_cast<int>(DropReason::kCount) ? kNames[i]
                                                            : "unknown";
}

bool operator==(const Message& a, const Message& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case MessageType::kInit:
      return a.node == b.node;
    case MessageType::kVers:
      return a.node == b.node && a.setup == b.setup;
    case MessageType::kPing:
      return a.node == b.node && same_beacon(a, b);
    case MessageType::kHist:
      return same_beacon(a, b);
  }
  return false;
}

DecodeResult decode(std::string_view payload) {
  DecodeResult result;
  if (payload.size() > kMaxPayloadBytes) {
    result.error = DropReason::kTooLarge;
    return result;
  }

  Json json = parse(payload);
  if (!json) {
    result.error = DropReason::kBadJson;
  } else if (!cJSON_IsObject(json.get())) {
    result.error = DropReason::kNotObject;
  } else {
    result.error = read_type(json.get(), result.message.type);
    if (result.ok()) result.error = read_fields(json.get(), result.message);
    if (result.ok()) result.error = detail::check_message(result.message);
  }
  if (!result.ok()) result.message = Message();
  return result;
}

std::string encode(const Message& message) {
  Json json(cJSON_CreateObject(), cJSON_Delete);
  if (!json) return std::string();

  cJSON_AddStringToObject(json.get(), "t", message_type_name(message.type));
  add_fields(json.get(), message);

  char* text = cJSON_PrintUnformatted(json.get());
  if (!text) return std::string();
  std::string out(text);
  cJSON_free(text);
  return out;
}

}  // namespace asyncactor
