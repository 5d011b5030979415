// LZ4 wrapper: the only file that includes lz4.h.
#include "util/lz4_codec.h"

#include <lz4.h>

#include "util/coding.h"

namespace natsd::lz4 {

bool CompressIfSmaller(const char* in, size_t n, std::string* out) {
  if (n > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) return false;
  const size_t start = out->size();
  const int bound = LZ4_compressBound(static_cast<int>(n));
  out->resize(start + 4 + static_cast<size_t>(bound));
  char* dst = out->data() + start;
  EncodeFixed32(dst, static_cast<uint32_t>(n));
  int written = LZ4_compress_default(in, dst + 4, static_cast<int>(n), bound);
  if (written <= 0 || static_cast<size_t>(written) + 4 >= n) {
    out->resize(start);
    return false;
  }
  out->resize(start + 4 + static_cast<size_t>(written));
  return true;
}

bool Decompress(const char* in, size_t n, size_t max_len, std::string* out) {
  if (n < 4) return false;
  const uint32_t logical = DecodeFixed32(in);
  if (logical > max_len || logical > static_cast<uint32_t>(LZ4_MAX_INPUT_SIZE)) return false;
  const size_t start = out->size();
  out->resize(start + logical);
  int got = LZ4_decompress_safe(in + 4, out->data() + start, static_cast<int>(n - 4),
                                static_cast<int>(logical));
  if (got < 0 || static_cast<uint32_t>(got) != logical) {
    out->resize(start);
    return false;
  }
  return true;
}

}  // namespace natsd::lz4
