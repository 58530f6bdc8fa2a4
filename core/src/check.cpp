// check.cpp: message validity rules shared by the decoder and the engine.
#include "check.hpp"

#include <cmath>

namespace asyncactor::detail {

namespace {

// sequence_length() is how many bytes the UTF-8 sequence led by `lead`
// takes, or 0 for a byte that cannot lead one.
int sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// second_byte_ok() applies the ranges that exclude overlong forms,
// surrogates and code points above U+10FFFF.
bool second_byte_ok(unsigned char lead, unsigned char next) {
  if (lead == 0xE0) return next >= 0xA0 && next <= 0xBF;
  if (lead == 0xED) return next >= 0x80 && next <= 0x9F;
  if (lead == 0xF0) return next >= 0x90 && next <= 0xBF;
  if (lead == 0xF4) return next >= 0x80 && next <= 0x8F;
  return next >= 0x80 && next <= 0xBF;
}

bool is_continuation(unsigned char c) { return c >= 0x80 && c <= 0xBF; }

DropReason check_value(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      return DropReason::kNone;
    case Value::Kind::kNumber:
      return std::isfinite(value.as_number()) ? DropReason::kNone
                                              : DropReason::kBadValue;
    case Value::Kind::kString:
      break;
  }
  const std::string& s = value.as_string();
  if (s.size() > kMaxValueBytes || !valid_utf8(s)) return DropReason::kBadValue;
  return DropReason::kNone;
}

bool has_repeats(const std::vector<std::string>& names) {
  for (std::size_t i = 1; i < names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (names[i] == names[j]) return true;
  return false;
}

DropReason check_history(const std::vector<std::string>& history) {
  if (history.empty() || history.size() > kMaxHistoryEntries)
    return DropReason::kBadHistory;
  for (const auto& name : history)
    if (!valid_name(name)) return DropReason::kBadHistory;
  return has_repeats(history) ? DropReason::kBadHistory : DropReason::kNone;
}

DropReason check_beacon(const Message& m) {
  DropReason why = check_value(m.value);
  if (why != DropReason::kNone) return why;
  return check_history(m.history);
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    int len = sequence_length(lead);
    if (len == 0 || lead == 0 || i + len > text.size()) return false;
    for (int k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(text[i + k]);
      if (k == 1 ? !second_byte_ok(lead, c) : !is_continuation(c))
        return false;
    }
    i += len;
  }
  return true;
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxNameBytes && valid_utf8(name);
}

DropReason check_message(const Message& m) {
  switch (m.type) {
    case MessageType::kInit:
      return valid_name(m.node) ? DropReason::kNone : DropReason::kBadName;
    case MessageType::kVers:
      if (!valid_name(m.node)) return DropReason::kBadName;
      return validate(m.setup) ? DropReason::kBadSetup : DropReason::kNone;
    case MessageType::kPing:
      if (!valid_name(m.node)) return DropReason::kBadName;
      return check_beacon(m);
    case MessageType::kHist:
      return check_beacon(m);
  }
  return DropReason::kBadType;
}

}  // namespace asyncactor::detail
