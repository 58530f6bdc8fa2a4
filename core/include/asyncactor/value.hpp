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
#include <variant>

namespace asyncactor {

// Value holds null, a number (stored as double) or a UTF-8 string.
class Value {
 public:
  enum class Kind { kNull, kNumber, kString };

  // Value() is null: "not ready".
  Value() = default;

  static Value number(double n) { return Value(Storage(n)); }
  static Value string(std::string s) { return Value(Storage(std::move(s))); }

  Kind kind() const { return static_cast<Kind>(storage_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }

  // as_number() and as_string() require the matching kind().
  double as_number() const { return std::get<double>(storage_); }
  const std::string& as_string() const { return std::get<std::string>(storage_); }

  friend bool operator==(const Value& a, const Value& b) {
    return a.storage_ == b.storage_;
  }
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  using Storage = std::variant<std::monostate, double, std::string>;
  explicit Value(Storage s) : storage_(std::move(s)) {}
  Storage storage_;
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
