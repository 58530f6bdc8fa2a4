// json.hpp: values and setups as cJSON items, for the programs that report
// them: the plugin's status topics, the client's --json lines and the
// simulator's scenario files. (The wire codec is message.hpp; it writes
// numbers its own way to match the Python library.)
//
//   cJSON* o = cJSON_CreateObject();
//   cJSON_AddItemToObject(o, "value", to_json(engine.value()));
//   cJSON_AddItemToObject(o, "setup", to_json(engine.setup()));
#pragma once

#include <cjson/cJSON.h>

#include "asyncactor/setup.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor {

// to_json() returns a new item the caller owns (or adds to an object), or
// nullptr when cJSON runs out of memory. A value is null, a number or a
// string; a setup is an object with the seven keys of a `vers` message.
cJSON* to_json(const Value& value);
cJSON* to_json(const Setup& setup);

}  // namespace asyncactor
