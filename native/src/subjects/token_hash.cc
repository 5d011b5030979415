// Token hashing: 8-byte words folded with a 64x64->128-bit multiply (the "mum" step of the
// wyhash family), which mixes well and costs a few nanoseconds for typical tokens.
#include "subjects/token_hash.h"

#include <cstring>
#include <random>

namespace natsd::subjects {
namespace {

constexpr uint64_t kPrime0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kPrime1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kPrime2 = 0x8ebc6af09c88c6e3ULL;

uint64_t Mum(uint64_t a, uint64_t b) {
  __uint128_t product = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

uint64_t HashToken(std::string_view token, uint64_t seed) {
  const char* p = token.data();
  size_t left = token.size();
  // Both factors of every multiply are xored with constants so that no input word zeroes the
  // state unless it equals a seed-dependent value.
  uint64_t h = seed ^ kPrime0;
  while (left >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    h = Mum(word ^ kPrime1, h ^ kPrime2);
    p += 8;
    left -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, left);
  h = Mum(tail ^ kPrime1, h ^ kPrime0);
  return Mum(h ^ kPrime2, static_cast<uint64_t>(token.size()) ^ kPrime1);
}

uint64_t RandomHashSeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

}  // namespace natsd::subjects
