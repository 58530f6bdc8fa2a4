// codec_numbers_test.cpp: numbers cross the wire exactly, and whole numbers
// are written as integers as the Python library writes them.
#include <criterion/criterion.h>

#include <string>

#include "asyncactor/message.hpp"

using namespace asyncactor;

namespace {

Message ping_with(Value v) {
  Message m;
  m.type = MessageType::kPing;
  m.node = "a";
  m.value = std::move(v);
  m.history = {"a"};
  return m;
}

std::string encoded_value(double d) {
  std::string wire = encode(ping_with(Value::number(d)));
  auto from = wire.find("\"value\":") + 8;
  return wire.substr(from, wire.find(',', from) - from);
}

double round_trip(double d) {
  DecodeResult r = decode(encode(ping_with(Value::number(d))));
  cr_assert(r.ok(), "%g did not survive", d);
  return r.message.value.as_number();
}

}  // namespace

Test(codec_numbers, whole_numbers_are_written_without_a_fraction) {
  cr_expect_eq(encoded_value(0), "0");
  cr_expect_eq(encoded_value(-0.0), "0");
  cr_expect_eq(encoded_value(5), "5");
  cr_expect_eq(encoded_value(-3), "-3");
  cr_expect_eq(encoded_value(4294967296.0), "4294967296");
}

Test(codec_numbers, fractions_are_written_in_their_short_form) {
  cr_expect_eq(encoded_value(2.5), "2.5");
  cr_expect_eq(encoded_value(0.4), "0.4");
  cr_expect_eq(encoded_value(1e-2), "0.01");
  cr_expect_eq(encoded_value(0.1), "0.1");
}

Test(codec_numbers, numbers_round_trip_exactly) {
  const double samples[] = {2.5, 0.4, 1e-2, 0.1 + 0.2, 1.0 / 3, -7.25,
                            1e20, 1e-300, 123456789.123456789, 9.5e15};
  for (double d : samples) cr_expect(round_trip(d) == d, "%.17g", d);
}

Test(codec_numbers, setup_numbers_round_trip_exactly) {
  Message m;
  m.type = MessageType::kVers;
  m.node = "a";
  m.setup.version = 1LL << 50;
  m.setup.cycle = 2.1;
  m.setup.gap = 0.7;
  std::string wire = encode(m);
  cr_expect(wire.find("\"version\":1125899906842624") != std::string::npos,
            "%s", wire.c_str());
  cr_expect(wire.find("\"nodes\":5,") != std::string::npos, "%s",
            wire.c_str());
  DecodeResult r = decode(wire);
  cr_assert(r.ok());
  cr_expect(r.message == m);
}

Test(codec_numbers, exponents_and_fractions_are_read) {
  DecodeResult r = decode(
      R"({"t":"ping","node":"a","value":25e-1,"history":["a"]})");
  cr_assert(r.ok());
  cr_expect_eq(r.message.value.as_number(), 2.5);
  r = decode(R"({"t":"vers","node":"a","version":3.0,"cycle":7.0,)"
             R"("gap":1E0,"nodes":5.0,"splits":4,"n_hosts":10,)"
             R"("force_in":true})");
  cr_assert(r.ok(), "%s", drop_reason_name(r.error));
  cr_expect_eq(r.message.setup.version, 3);
  cr_expect(r.message.setup.force_in);
}
