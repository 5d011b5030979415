// CRC32C (Castagnoli), the checksum of every record and index file. Uses the SSE4.2 crc32
// instruction when the CPU has it, else a slicing-by-8 table; both give identical results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace natsd::crc32c {

// Returns the crc32c of concat(A, data[0, n)) where init_crc is the crc32c of some string A.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// A stored CRC is masked so that the CRC of bytes that themselves contain CRCs (a record stored as
// a payload, a block file inside a snapshot) is not trivially related to the embedded ones.
constexpr uint32_t kMaskDelta = 0xa282ead8ul;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// True when the hardware path is in use (reported by the benchmarks).
bool HardwareAccelerated();

}  // namespace natsd::crc32c
