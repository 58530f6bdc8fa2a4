// text.cpp: see text.hpp.
#include "asyncactor/text.hpp"

namespace asyncactor {

bool is_decimal(std::string_view text, bool integer) {
  std::size_t i = 0, n = text.size();
  auto digits = [&] {
    std::size_t from = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    return i - from;
  };
  if (i < n && text[i] == '-') ++i;
  std::size_t count = digits();
  if (integer) return count > 0 && i == n;
  if (i < n && text[i] == '.') {
    ++i;
    count += digits();
  }
  if (count == 0) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

}  // namespace asyncactor
