// value.hpp: the value a node advertises in its beacons.
//
// A value is null (the node is not ready), a number, or a string. Values
// order nodes when beacons collide (PROTOCOL section 6):
//
//   Value a = Value::number(3);
//   Value b = Value::string("x");
//   beats(b, "n1", a, "n2");  // true: a string beats a number
#pragma once

#include <string>
#include <string_view>

namespace asyncactor {

// Value holds null, a number (stored as double) or a UTF-8 string.
class Value {
 public:
  enum class Kind { kNull, kNumber, kString };

  // Value() is null: "not ready".
  Value() = default;

  static Value number(double n) {
    Value v;
    v.kind_ = Kind::kNumber;
    v.number_ = n;
    return v;
  }
  static Value string(std::string s) {
    Value v;
    v.kind_ = Kind::kString;
    v.string_ = std::move(s);
    return v;
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }

  // as_number() and as_string() require the matching kind().
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }

  friend bool operator==(const Value& a, const Value& b) {
    if (a.kind_ != b.kind_) return false;
    if (a.kind_ == Kind::kNumber) return a.number_ == b.number_;
    return a.string_ == b.string_;  // empty unless a string
  }
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  // Plain members rather than a std::variant: GCC 12 with AddressSanitizer
  // reports a false "may be used uninitialized" in the variant's move
  // assignment when one alternative is a std::string.
  Kind kind_ = Kind::kNull;
  double number_ = 0;
  std::string string_;  // empty unless kind_ is kString
};

// compare_values() orders two values for collisions: it returns a positive
// number when `a` ranks above `b`, negative when below, 0 when equal.
// Non-null beats null; a string beats a number; numbers compare by value;
// strings compare bytewise.
int compare_values(const Value& a, const Value& b);

// beats() is the full priority rule of PROTOCOL section 6: true when the node
// `a_name` with value `a` wins over node `b_name` with value `b`. Equal values
// are decided by the bytewise smaller name. A node never beats itself.
bool beats(const Value& a, std::string_view a_name, const Value& b,
           std::string_view b_name);

}  // namespace asyncactor
