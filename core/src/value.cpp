// value.cpp: the collision order of PROTOCOL section 6.
#include "asyncactor/value.hpp"

namespace asyncactor {

namespace {

// rank() orders the kinds: null below a number below a string.
int rank(const Value& v) { return static_cast<int>(v.kind()); }

int compare_numbers(double a, double b) {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

}  // namespace

int compare_values(const Value& a, const Value& b) {
  if (rank(a) != rank(b)) return rank(a) < rank(b) ? -1 : 1;

  switch (a.kind()) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kNumber:
      return compare_numbers(a.as_number(), b.as_number());
    case Value::Kind::kString:
      // std::string compares through char_traits<char>, which orders bytes
      // as unsigned char: bytewise, as the protocol requires.
      return a.as_string().compare(b.as_string());
  }
  return 0;
}

bool beats(const Value& a, std::string_view a_name, const Value& b,
           std::string_view b_name) {
  if (a_name == b_name) return false;

  int order = compare_values(a, b);
  if (order != 0) return order > 0;

  return a_name.compare(b_name) < 0;
}

}  // namespace asyncactor
