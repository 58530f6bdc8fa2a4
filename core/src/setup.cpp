// setup.cpp: the validity rules of PROTOCOL section 3.
#include "asyncactor/setup.hpp"

#include <cmath>

namespace asyncactor {

namespace {

std::optional<std::string> check_times(const Setup& s) {
  if (!std::isfinite(s.cycle) || !std::isfinite(s.gap))
    return "cycle and gap must be finite numbers";
  if (s.cycle < 0.1) return "cycle must be at least 0.1 s";
  if (s.gap < 0.01) return "gap must be at least 0.01 s";
  // A relative tolerance keeps decimal inputs such as 1.2 and 0.4 valid.
  if (s.cycle < 3 * s.gap * (1 - 1e-12))
    return "cycle must be at least 3 * gap";
  return std::nullopt;
}

std::optional<std::string> check_counts(const Setup& s) {
  if (s.version < 0) return "version must not be negative";
  if (s.nodes < 1) return "nodes must be at least 1";
  if (s.splits < 2) return "splits must be at least 2";
  if (s.n_hosts < 1) return "n_hosts must be at least 1";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate(const Setup& setup) {
  if (auto err = check_times(setup)) return err;
  return check_counts(setup);
}

}  // namespace asyncactor
