// codec_vectors_test.cpp: every line the Python library put on the wire
// decodes with its meaning, and encodes back to the same fields and types.
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <fstream>
#include <string>
#include <vector>

#include "asyncactor/message.hpp"

using namespace asyncactor;

namespace {

std::vector<std::string> vector_lines() {
  std::ifstream in(AATEST_CORE_DATA "/reference-wire.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

Message ping(std::string node, Value value, std::vector<std::string> h) {
  Message m;
  m.type = MessageType::kPing;
  m.node = std::move(node);
  m.value = std::move(value);
  m.history = std::move(h);
  return m;
}

Message vers(std::string node, std::int64_t version, double cycle,
             double gap) {
  Message m;
  m.type = MessageType::kVers;
  m.node = std::move(node);
  m.setup.version = version;
  m.setup.cycle = cycle;
  m.setup.gap = gap;
  return m;
}

// expected() is what each vector line means, in file order.
std::vector<Message> expected() {
  Message init;
  init.type = MessageType::kInit;
  init.node = "n000";
  Message hist = ping("", Value::number(5), {"n005", "n004", "n007", "n006"});
  hist.type = MessageType::kHist;
  return {
      init,
      vers("n000", 0, 10, 1.5),
      ping("n000", Value::number(0), {"n000"}),
      ping("n000", Value::number(0), {"n000", "n007"}),
      ping("n004", Value::number(4), {"n004", "n007", "n000"}),
      ping("n001", Value::number(1), {"n001", "n000", "n004", "n007"}),
      hist,
      vers("rx", 4, 2.0, 0.4),
      ping("rx", Value(), {"rx"}),
      ping("ry", Value::number(2.5), {"ry"}),
      ping("rz", Value::string("label"), {"rz"}),
  };
}

// no_fraction_in_integers() checks that whole numbers were written as
// integers: the encoder must not write 0.0 or 5.0.
void expect_no_fraction_in_integers(const cJSON* item) {
  for (const cJSON* c = item->child; c; c = c->next) {
    if (cJSON_IsNumber(c) &&
        c->valuedouble == static_cast<long>(c->valuedouble))
      cr_expect(c->valuedouble == c->valueint, "field %s", c->string);
    expect_no_fraction_in_integers(c);
  }
}

}  // namespace

Test(codec_vectors, every_line_decodes_with_its_meaning) {
  auto lines = vector_lines();
  auto meaning = expected();
  cr_assert_eq(lines.size(), meaning.size(), "vector file changed");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    DecodeResult r = decode(lines[i]);
    cr_assert(r.ok(), "line %zu: %s: %s", i + 1, drop_reason_name(r.error),
              lines[i].c_str());
    cr_expect(r.message == meaning[i], "line %zu decoded wrongly", i + 1);
  }
}

Test(codec_vectors, every_field_is_read_into_the_message) {
  auto lines = vector_lines();
  DecodeResult v = decode(lines[1]);
  cr_assert(v.ok());
  cr_expect_eq(v.message.node, "n000");
  cr_expect_eq(v.message.setup.version, 0);
  cr_expect_eq(v.message.setup.cycle, 10);
  cr_expect_eq(v.message.setup.gap, 1.5);
  cr_expect_eq(v.message.setup.nodes, 5);
  cr_expect_eq(v.message.setup.splits, 4);
  cr_expect_eq(v.message.setup.n_hosts, 10);
  cr_expect(!v.message.setup.force_in);

  DecodeResult h = decode(lines[6]);
  cr_assert(h.ok());
  cr_expect(h.message.type == MessageType::kHist);
  cr_expect(h.message.node.empty());
  cr_expect_eq(h.message.history.size(), 4u);
  cr_expect_eq(h.message.history[0], "n005");
}

Test(codec_vectors, encoding_gives_the_same_fields_and_types) {
  for (const auto& line : vector_lines()) {
    DecodeResult r = decode(line);
    cr_assert(r.ok());
    std::string wire = encode(r.message);
    cJSON* want = cJSON_Parse(line.c_str());
    cJSON* got = cJSON_Parse(wire.c_str());
    cr_assert(got, "encode wrote invalid JSON: %s", wire.c_str());
    cr_expect(cJSON_Compare(want, got, true), "\n%s\n%s", line.c_str(),
              wire.c_str());
    expect_no_fraction_in_integers(got);
    cJSON_Delete(want);
    cJSON_Delete(got);
  }
}

Test(codec_vectors, encode_then_decode_gives_the_message_back) {
  for (const auto& line : vector_lines()) {
    DecodeResult first = decode(line);
    DecodeResult again = decode(encode(first.message));
    cr_assert(again.ok(), "%s", line.c_str());
    cr_expect(again.message == first.message, "%s", line.c_str());
  }
}

Test(codec_vectors, type_names_match_the_wire) {
  cr_expect_str_eq(message_type_name(MessageType::kInit), "init");
  cr_expect_str_eq(message_type_name(MessageType::kVers), "vers");
  cr_expect_str_eq(message_type_name(MessageType::kPing), "ping");
  cr_expect_str_eq(message_type_name(MessageType::kHist), "hist");
}
