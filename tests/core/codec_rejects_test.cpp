// codec_rejects_test.cpp: every kind of bad payload is refused with its
// reason, never a crash; unknown fields are ignored.
#include <criterion/criterion.h>

#include <string>

#include "asyncactor/message.hpp"

using namespace asyncactor;

namespace {

// rejects() decodes `payload` and checks the reason it was refused.
void expect_reason(const std::string& payload, DropReason want) {
  DecodeResult r = decode(payload);
  cr_expect(r.error == want, "%s: got %s, want %s", payload.c_str(),
            drop_reason_name(r.error), drop_reason_name(want));
}

std::string ping_with(const std::string& field, const std::string& json) {
  std::string p = R"({"t":"ping","node":"a","value":1,"history":["a"]})";
  if (field.empty()) return p;
  std::string key = "\"" + field + "\":";
  auto at = p.find(key) + key.size();
  auto end = field == "history" ? p.find(']', at) + 1 : p.find(',', at);
  return p.substr(0, at) + json + p.substr(end);
}

std::string vers_with(const std::string& field, const std::string& json) {
  std::string fields[][2] = {{"version", "1"}, {"cycle", "7"},
                             {"gap", "1"},     {"nodes", "5"},
                             {"splits", "4"},  {"n_hosts", "10"},
                             {"force_in", "false"}};
  std::string p = R"({"t":"vers","node":"a")";
  for (auto& f : fields) {
    if (f[0] == field && json.empty()) continue;
    p += ",\"" + f[0] + "\":" + (f[0] == field ? json : f[1]);
  }
  return p + "}";
}

}  // namespace

Test(codec_rejects, a_payload_over_the_limit_is_too_large) {
  std::string big = R"({"t":"init","node":"a","pad":")";
  big += std::string(kMaxPayloadBytes, 'x') + "\"}";
  expect_reason(big, DropReason::kTooLarge);
  expect_reason(std::string(100000, '\xff'), DropReason::kTooLarge);
}

Test(codec_rejects, a_payload_at_the_limit_is_read) {
  std::string p = R"({"t":"init","node":"a","pad":")";
  p += std::string(kMaxPayloadBytes - p.size() - 2, 'x') + "\"}";
  cr_assert_eq(p.size(), kMaxPayloadBytes);
  expect_reason(p, DropReason::kNone);
}

Test(codec_rejects, text_that_is_not_json_is_bad_json) {
  expect_reason("", DropReason::kBadJson);
  expect_reason("not json", DropReason::kBadJson);
  expect_reason("{", DropReason::kBadJson);
  expect_reason(R"({"t":"init","node":"a"} trailing)", DropReason::kBadJson);
  expect_reason(R"({"t":"init","node":"a"}{})", DropReason::kBadJson);
  expect_reason(R"({"t":"init","node":'a'})", DropReason::kBadJson);
  expect_reason(R"({"t":"ping","node":"a","value":NaN,"history":["a"]})",
                DropReason::kBadJson);
}

Test(codec_rejects, trailing_white_space_is_fine) {
  expect_reason("{\"t\":\"init\",\"node\":\"a\"} \n", DropReason::kNone);
}

Test(codec_rejects, nul_bytes_and_invalid_utf8_are_bad_json) {
  expect_reason(std::string("\0\x01\x02{", 4), DropReason::kBadJson);
  expect_reason(std::string("{\"t\":\"init\",\"node\":\"a\0b\"}", 24),
                DropReason::kBadJson);
  expect_reason(R"({"t":"init","node":"a\u0000b"})", DropReason::kBadJson);
  expect_reason("{\"t\":\"init\",\"node\":\"a\xff\"}", DropReason::kBadJson);
  expect_reason("{\"t\":\"init\",\"node\":\"\xc0\xaf\"}",
                DropReason::kBadJson);  // overlong '/'
  expect_reason("{\"t\":\"init\",\"node\":\"\xed\xa0\x80\"}",
                DropReason::kBadJson);  // a surrogate
  expect_reason(R"({"t":"init","node":"\ud800"})", DropReason::kBadJson);
}

Test(codec_rejects, escaped_backslash_before_u0000_is_not_a_nul) {
  expect_reason(R"({"t":"init","node":"a\\u0000"})", DropReason::kNone);
}

Test(codec_rejects, utf8_names_are_fine) {
  DecodeResult r = decode("{\"t\":\"init\",\"node\":\"k\xc3\xbc" "che\"}");
  cr_expect(r.ok());
  r = decode(R"({"t":"init","node":"\u00fc\ud83d\ude00"})");
  cr_assert(r.ok());
  cr_expect_eq(r.message.node, "\xc3\xbc\xf0\x9f\x98\x80");
}

Test(codec_rejects, json_that_is_not_an_object_is_not_object) {
  for (const char* p : {"[1,2,3]", "3", "\"s\"", "null", "true", "[]"})
    expect_reason(p, DropReason::kNotObject);
}

Test(codec_rejects, a_missing_or_unknown_t_is_bad_type) {
  expect_reason(R"({"node":"a"})", DropReason::kBadType);
  expect_reason(R"({"t":5,"node":"a"})", DropReason::kBadType);
  expect_reason(R"({"t":null,"node":"a"})", DropReason::kBadType);
  expect_reason(R"({"t":"warp","node":"a"})", DropReason::kBadType);
  expect_reason(R"({"t":"PING","node":"a"})", DropReason::kBadType);
  expect_reason(R"({"T":"init","node":"a"})", DropReason::kBadType);
}

Test(codec_rejects, each_required_field_is_required) {
  expect_reason(R"({"t":"init"})", DropReason::kMissingField);
  expect_reason(R"({"t":"hist"})", DropReason::kMissingField);
  expect_reason(R"({"t":"hist","value":1})", DropReason::kMissingField);
  expect_reason(R"({"t":"hist","history":["a"]})", DropReason::kMissingField);
  expect_reason(R"({"t":"ping","value":1,"history":["a"]})",
                DropReason::kMissingField);
  expect_reason(R"({"t":"ping","node":"a","history":["a"]})",
                DropReason::kMissingField);
  expect_reason(R"({"t":"ping","node":"a","value":1})",
                DropReason::kMissingField);
  for (const char* f : {"version", "cycle", "gap", "nodes", "splits",
                        "n_hosts", "force_in"})
    expect_reason(vers_with(f, ""), DropReason::kMissingField);
  expect_reason(R"({"t":"vers","version":1})", DropReason::kMissingField);
}

Test(codec_rejects, fields_of_the_wrong_json_type_are_refused) {
  expect_reason(R"({"t":"ping","node":5})", DropReason::kWrongFieldType);
  expect_reason(R"({"t":"init","node":null})", DropReason::kWrongFieldType);
  expect_reason(R"({"t":"init","node":["a"]})", DropReason::kWrongFieldType);
  expect_reason(ping_with("history", "\"a\""), DropReason::kWrongFieldType);
  expect_reason(ping_with("history", "{}"), DropReason::kWrongFieldType);
  expect_reason(vers_with("cycle", "\"7\""), DropReason::kWrongFieldType);
  expect_reason(vers_with("version", "1.5"), DropReason::kWrongFieldType);
  expect_reason(vers_with("nodes", "true"), DropReason::kWrongFieldType);
  expect_reason(vers_with("force_in", "0"), DropReason::kWrongFieldType);
  expect_reason(vers_with("force_in", "null"), DropReason::kWrongFieldType);
}

Test(codec_rejects, empty_and_overlong_names_are_bad_names) {
  expect_reason(R"({"t":"init","node":""})", DropReason::kBadName);
  std::string longest(kMaxNameBytes, 'n');
  expect_reason(R"({"t":"init","node":")" + longest + "\"}",
                DropReason::kNone);
  expect_reason(R"({"t":"init","node":")" + longest + "n\"}",
                DropReason::kBadName);
  expect_reason(ping_with("node", "\"\""), DropReason::kBadName);
  expect_reason(vers_with("", "") .replace(19, 3, "\"\""),
                DropReason::kBadName);
}

Test(codec_rejects, values_other_than_null_number_or_short_string) {
  expect_reason(ping_with("value", "true"), DropReason::kBadValue);
  expect_reason(ping_with("value", "false"), DropReason::kBadValue);
  expect_reason(ping_with("value", "{}"), DropReason::kBadValue);
  expect_reason(ping_with("value", "[1]"), DropReason::kBadValue);
  expect_reason(ping_with("value", "1e999"), DropReason::kBadValue);
  expect_reason(ping_with("value", "-1e999"), DropReason::kBadValue);
  std::string longest(kMaxValueBytes, 'v');
  expect_reason(ping_with("value", "\"" + longest + "\""), DropReason::kNone);
  expect_reason(ping_with("value", "\"" + longest + "v\""),
                DropReason::kBadValue);
  expect_reason(ping_with("value", "null"), DropReason::kNone);
  expect_reason(ping_with("value", "\"\""), DropReason::kNone);
}

Test(codec_rejects, bad_histories_are_refused) {
  expect_reason(ping_with("history", "[]"), DropReason::kBadHistory);
  expect_reason(ping_with("history", "[1]"), DropReason::kBadHistory);
  expect_reason(ping_with("history", "[\"a\",null]"), DropReason::kBadHistory);
  expect_reason(ping_with("history", "[\"a\",\"b\",\"a\"]"),
                DropReason::kBadHistory);
  expect_reason(ping_with("history", "[\"a\",\"\"]"), DropReason::kBadHistory);
  std::string too_long = "[\"a\",\"" + std::string(65, 'x') + "\"]";
  expect_reason(ping_with("history", too_long), DropReason::kBadHistory);
  expect_reason(R"({"t":"hist","value":1,"history":[]})",
                DropReason::kBadHistory);

  std::string many = "[\"a\"";
  for (std::size_t i = 1; i < kMaxHistoryEntries; ++i)
    many += ",\"" + std::to_string(i) + "\"";
  expect_reason(ping_with("history", many + "]"), DropReason::kNone);
  expect_reason(ping_with("history", many + ",\"last\"]"),
                DropReason::kBadHistory);
}

Test(codec_rejects, a_vers_with_an_invalid_setup_is_bad_setup) {
  expect_reason(vers_with("cycle", "-1"), DropReason::kBadSetup);
  expect_reason(vers_with("cycle", "2"), DropReason::kBadSetup);  // < 3 gaps
  expect_reason(vers_with("gap", "0.001"), DropReason::kBadSetup);
  expect_reason(vers_with("nodes", "0"), DropReason::kBadSetup);
  expect_reason(vers_with("splits", "1"), DropReason::kBadSetup);
  expect_reason(vers_with("n_hosts", "0"), DropReason::kBadSetup);
  expect_reason(vers_with("version", "-1"), DropReason::kBadSetup);
  expect_reason(vers_with("nodes", "1e12"), DropReason::kBadSetup);
  expect_reason(vers_with("version", "1e30"), DropReason::kBadSetup);
  expect_reason(vers_with("cycle", "1e999"), DropReason::kBadSetup);
  expect_reason(vers_with("", ""), DropReason::kNone);
}

Test(codec_rejects, unknown_fields_are_ignored) {
  DecodeResult r = decode(
      R"({"t":"ping","node":"a","value":1,"history":["a"],"extra":{"x":[1]},)"
      R"("zz":null})");
  cr_assert(r.ok());
  cr_expect_eq(r.message.node, "a");
  r = decode(R"({"t":"hist","node":"ignored","value":1,"history":["b"]})");
  cr_assert(r.ok());
  cr_expect(r.message.node.empty());
}

Test(codec_rejects, a_rejected_payload_leaves_an_empty_message) {
  DecodeResult r = decode(R"({"t":"ping","node":"a","value":true,)"
                          R"("history":["a"]})");
  cr_expect(!r.ok());
  cr_expect(r.message.node.empty() && r.message.history.empty());
}

Test(codec_rejects, every_reason_has_a_name) {
  cr_expect_str_eq(drop_reason_name(DropReason::kNone), "none");
  cr_expect_str_eq(drop_reason_name(DropReason::kTooLarge), "too_large");
  cr_expect_str_eq(drop_reason_name(DropReason::kBadJson), "bad_json");
  cr_expect_str_eq(drop_reason_name(DropReason::kNotObject), "not_object");
  cr_expect_str_eq(drop_reason_name(DropReason::kWrongFieldType),
                   "wrong_field_type");
  cr_expect_str_eq(drop_reason_name(DropReason::kInconsistent),
                   "inconsistent");
}

Test(codec_rejects, deep_nesting_and_random_bytes_never_crash) {
  std::string deep(2000, '[');
  (void)decode(deep);
  (void)decode("{\"t\":\"ping\",\"x\":" + std::string(1000, '[') + "}");
  unsigned seed = 12345;
  for (int i = 0; i < 2000; ++i) {
    std::string p = R"({"t":"ping","node":"a","value":1,"history":["a"]})";
    for (int k = 0; k < 3; ++k) {
      seed = seed * 1103515245 + 12345;
      p[(seed >> 8) % p.size()] = static_cast<char>(seed >> 16);
    }
    (void)decode(p);
  }
}
