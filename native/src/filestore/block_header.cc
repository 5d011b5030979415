// Encoding of block headers and block file names.
#include "filestore/block_header.h"

#include <cstring>

#include "util/coding.h"
#include "util/crc32c.h"

namespace natsd::filestore {

void BlockHeader::EncodeTo(char* dst) const {
  std::memset(dst, 0, kBlockHeaderBytes);
  std::memcpy(dst, kBlockMagic, 8);
  EncodeFixed16(dst + 8, kBlockVersion);
  dst[10] = static_cast<char>(compression);
  dst[11] = static_cast<char>(cipher);
  EncodeFixed32(dst + 12, id);
  EncodeFixed64(dst + 16, first_seq);
  std::memcpy(dst + 24, salt, kSaltBytes);
  EncodeFixed64(dst + 40, generation);
  EncodeFixed64(dst + 48, key_check);
  EncodeFixed32(dst + 56, 0);
  EncodeFixed32(dst + 60, crc32c::Mask(crc32c::Value(dst, 60)));
}

std::string BlockHeader::Encode() const {
  std::string out(kBlockHeaderBytes, '\0');
  EncodeTo(out.data());
  return out;
}

bool BlockHeader::DecodeFrom(const char* src) {
  if (std::memcmp(src, kBlockMagic, 8) != 0) return false;
  if (crc32c::Unmask(DecodeFixed32(src + 60)) != crc32c::Value(src, 60)) return false;
  if (DecodeFixed16(src + 8) != kBlockVersion) return false;
  compression = static_cast<uint8_t>(src[10]);
  const auto cipher_byte = static_cast<uint8_t>(src[11]);
  if (compression > kCompressionLz4 || cipher_byte > 2) return false;
  cipher = static_cast<CipherId>(cipher_byte);
  id = DecodeFixed32(src + 12);
  first_seq = DecodeFixed64(src + 16);
  std::memcpy(salt, src + 24, kSaltBytes);
  generation = DecodeFixed64(src + 40);
  key_check = DecodeFixed64(src + 48);
  return true;
}

std::string BlockFileName(uint32_t id) { return std::to_string(id) + ".blk"; }
std::string IndexFileName(uint32_t id) { return std::to_string(id) + ".idx"; }

bool ParseBlockFileName(const std::string& name, uint32_t* id) {
  const size_t dot = name.find('.');
  if (dot == 0 || dot == std::string::npos || name.substr(dot) != ".blk" || dot > 10) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < dot; i++) {
    if (name[i] < '0' || name[i] > '9') return false;
    value = value * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  if (value == 0 || value > 0xffffffffull) return false;
  *id = static_cast<uint32_t>(value);
  return true;
}

}  // namespace natsd::filestore
