// check.hpp: message validity rules shared by the decoder and the engine.
// Internal to the core; not installed.
#pragma once

#include <string_view>

#include "asyncactor/message.hpp"

namespace asyncactor::detail {

// valid_utf8() is true when `text` is well-formed UTF-8 without NUL bytes.
[[nodiscard]] bool valid_utf8(std::string_view text);

// valid_name() is true for a node name the protocol accepts: 1 to
// kMaxNameBytes bytes of UTF-8 without NUL.
[[nodiscard]] bool valid_name(std::string_view name);

// check_message() applies the content rules of PROTOCOL section 4 to a
// message whose fields already have the right types: names, value, history
// and setup. It returns kNone when they hold, else the first broken rule.
// It does not compare fields with each other (the engine does that).
[[nodiscard]] DropReason check_message(const Message& message);

}  // namespace asyncactor::detail
