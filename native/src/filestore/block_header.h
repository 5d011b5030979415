// The 64-byte header at the start of every block file (native/docs/filestore.md section 2).
#pragma once

#include <cstdint>
#include <string>

#include "filestore/record_format.h"
#include "util/aead.h"

namespace natsd::filestore {

struct BlockHeader {
  uint8_t compression = kCompressionNone;
  CipherId cipher = CipherId::kNone;
  uint32_t id = 0;
  uint64_t first_seq = 0;
  uint8_t salt[kSaltBytes] = {};
  uint64_t generation = 0;
  uint64_t key_check = 0;

  void EncodeTo(char* dst) const;  // writes kBlockHeaderBytes
  std::string Encode() const;
  // False when the magic, version, CRC or a field is wrong.
  bool DecodeFrom(const char* src);
};

// The file names of a block and its index inside the msgs directory.
std::string BlockFileName(uint32_t id);
std::string IndexFileName(uint32_t id);
// Parses "<id>.blk"; false for any other name.
bool ParseBlockFileName(const std::string& name, uint32_t* id);

}  // namespace natsd::filestore
