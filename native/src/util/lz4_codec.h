// LZ4 block compression of record bodies (liblz4). The stored form is a u32 logical length
// followed by one LZ4 block; see native/docs/filestore.md section 3.2.
#pragma once

#include <cstddef>
#include <string>

namespace natsd::lz4 {

// Appends the stored form of in[0, n) to *out and returns true when it is smaller than n;
// otherwise leaves *out unchanged and returns false.
bool CompressIfSmaller(const char* in, size_t n, std::string* out);

// Appends the logical bytes of a stored body to *out. Returns false when the body is damaged or
// claims more than max_len logical bytes.
bool Decompress(const char* in, size_t n, size_t max_len, std::string* out);

}  // namespace natsd::lz4
