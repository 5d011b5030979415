// A seeded 64-bit hash of subject tokens for the trie's child tables. Subjects come from clients,
// so each trie draws its own random seed: tokens that collide cannot be computed in advance to
// turn a table's probe sequences into linear scans.
#pragma once

#include <cstdint>
#include <string_view>

namespace natsd::subjects {

uint64_t HashToken(std::string_view token, uint64_t seed);

// A seed from the operating system's random source.
uint64_t RandomHashSeed();

}  // namespace natsd::subjects
