// text.hpp: reading numbers that people write in flags and config files.
//
//   if (!is_decimal("0x10", false)) refuse("not a decimal number");
#pragma once

#include <string_view>

namespace asyncactor {

// is_decimal() is true for a plain decimal number: an optional '-', digits
// with an optional fraction, and an optional exponent ("7", "-0.5",
// "1e3"); with `integer`, digits only after the sign. strtod and strtoll
// alone would also take hex ("0x10"), "inf", "nan", a '+' or leading
// blanks, none of which a user means as a number of seconds or nodes.
bool is_decimal(std::string_view text, bool integer);

}  // namespace asyncactor
