// random.cpp: xoshiro256** and the delay distributions.
#include "asyncactor/sim/random.hpp"

#include <algorithm>
#include <cmath>

namespace asyncactor::sim {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

double lomax(double scale, double shape, Rng& rng) {
  double u = 1.0 - rng.uniform();  // (0, 1]
  return scale * (std::pow(u, -1.0 / shape) - 1.0);
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t state = seed;
  for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t Rng::next() {
  std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed ^ (stream * 0xd1342543de82ef95ULL);
  splitmix64(state);
  return splitmix64(state);
}

double sample_delay(const DelayModel& model, Rng& rng) {
  switch (model.kind) {
    case DelayKind::kFixed:
      return model.max;
    case DelayKind::kUniform:
      return model.min + (model.max - model.min) * rng.uniform();
    case DelayKind::kTail: {
      double scale = model.scale > 0 ? model.scale : model.max / 20;
      double d = model.min + lomax(scale, model.shape, rng);
      return std::min(d, model.max);
    }
  }
  return model.max;
}

const char* delay_kind_name(DelayKind kind) {
  switch (kind) {
    case DelayKind::kFixed: return "fixed";
    case DelayKind::kUniform: return "uniform";
    case DelayKind::kTail: return "tail";
  }
  return "?";
}

}  // namespace asyncactor::sim
