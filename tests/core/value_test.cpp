// value_test.cpp: the collision order of values and names (PROTOCOL 6).
#include <criterion/criterion.h>

#include "asyncactor/value.hpp"

using asyncactor::beats;
using asyncactor::compare_values;
using asyncactor::Value;

Test(value, a_number_beats_null) {
  cr_expect(compare_values(Value::number(0), Value()) > 0);
  cr_expect(compare_values(Value(), Value::number(-5)) < 0);
}

Test(value, a_string_beats_a_number) {
  cr_expect(compare_values(Value::string(""), Value::number(1e300)) > 0);
  cr_expect(compare_values(Value::number(7), Value::string("a")) < 0);
}

Test(value, numbers_compare_by_value) {
  cr_expect(compare_values(Value::number(2.5), Value::number(2)) > 0);
  cr_expect(compare_values(Value::number(-1), Value::number(3)) < 0);
  cr_expect(compare_values(Value::number(4), Value::number(4.0)) == 0);
}

Test(value, strings_compare_bytewise) {
  cr_expect(compare_values(Value::string("b"), Value::string("a")) > 0);
  cr_expect(compare_values(Value::string("ab"), Value::string("a")) > 0);
  // 0xC3 is above 'z' when bytes are unsigned.
  cr_expect(compare_values(Value::string("\xC3\xA9"), Value::string("z")) > 0);
}

Test(value, nulls_are_equal) {
  cr_expect(compare_values(Value(), Value()) == 0);
}

Test(value, beats_prefers_the_larger_value) {
  cr_expect(beats(Value::number(2), "z", Value::number(1), "a"));
  cr_expect(!beats(Value::number(1), "a", Value::number(2), "z"));
}

Test(value, beats_breaks_ties_with_the_smaller_name) {
  cr_expect(beats(Value::number(1), "a", Value::number(1), "b"));
  cr_expect(!beats(Value::number(1), "b", Value::number(1), "a"));
  cr_expect(beats(Value(), "a", Value(), "b"));
}

Test(value, a_node_never_beats_itself) {
  cr_expect(!beats(Value::number(2), "a", Value::number(1), "a"));
}
