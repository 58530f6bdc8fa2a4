// message.hpp: the four messages of the beacon protocol and their JSON wire
// form (PROTOCOL section 4), compatible with the Python AsyncActor library.
//
//   DecodeResult r = decode(R"({"t":"init","node":"a"})");
//   if (r.ok()) { use(r.message); } else { count(r.error); }
//   std::string wire = encode(r.message);
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "asyncactor/setup.hpp"
#include "asyncactor/value.hpp"

namespace asyncactor {

enum class MessageType { kInit, kVers, kPing, kHist };

// message_type_name() returns the wire name: "init", "vers", "ping", "hist".
const char* message_type_name(MessageType type);

// Message is one decoded channel message. Which fields matter depends on
// `type`: init has `node`; vers has `node` and `setup`; ping has `node`,
// `value` and `history`; hist has `value` and `history` (no `node`).
struct Message {
  MessageType type = MessageType::kPing;
  std::string node;
  Value value;
  std::vector<std::string> history;  // most recent sender first
  Setup setup;

  friend bool operator==(const Message& a, const Message& b);
  friend bool operator!=(const Message& a, const Message& b) {
    return !(a == b);
  }
};

// Limits the decoder enforces on every message, whatever the setup.
inline constexpr std::size_t kMaxPayloadBytes = 4096;
inline constexpr std::size_t kMaxNameBytes = 64;
inline constexpr std::size_t kMaxHistoryEntries = 64;
inline constexpr std::size_t kMaxValueBytes = 256;  // a string value

// DropReason says why an incoming payload was not used. kNone means it was.
// Reasons from kTooLarge to kBadSetup come from decode(); the rest come from
// the engine, which also checks a message against its own state.
enum class DropReason {
  kNone = 0,
  kTooLarge,        // payload over kMaxPayloadBytes
  kBadJson,         // not parseable JSON, or not UTF-8
  kNotObject,       // JSON, but not an object
  kBadType,         // "t" missing, not a string, or not a known message type
  kMissingField,    // a field the type requires is absent
  kWrongFieldType,  // a field has the wrong JSON type
  kBadName,         // empty, or longer than kMaxNameBytes
  kBadValue,        // value neither null, number nor short string
  kBadHistory,      // too long, repeated or invalid names, or empty
  kBadSetup,        // a vers whose setup validate() rejects
  kInconsistent,    // engine: e.g. a ping whose history[0] is not its node
  kUnsafeSetup,     // engine: a vers whose gap is not above 2 * our slack
  kCount            // number of reasons; not a reason
};

// drop_reason_name() returns a short snake_case name ("bad_json"), stable
// enough to appear in logs and counters.
const char* drop_reason_name(DropReason reason);

// DecodeResult carries either a message (error == kNone) or the reason the
// payload was rejected.
struct DecodeResult {
  Message message;
  DropReason error = DropReason::kNone;
  bool ok() const { return error == DropReason::kNone; }
};

// decode() parses one payload. It never throws and never crashes on any
// input; unknown fields are ignored.
[[nodiscard]] DecodeResult decode(std::string_view payload);

// encode() writes `message` as one compact JSON object with exactly the
// fields its type has on the wire. Integral numbers are written without a
// fraction, as the Python library does.
[[nodiscard]] std::string encode(const Message& message);

}  // namespace asyncactor
