// Records: the 32-byte header, checksum verification, and encoding of every record kind
// (native/docs/filestore.md section 3). RecordCodec turns messages into MSG records and back,
// compressing and encrypting bodies as the block header says.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "filestore/block_header.h"
#include "filestore/record_format.h"
#include "util/aead.h"
#include "util/status.h"

namespace natsd::filestore {

struct RecordHeader {
  uint32_t length = 0;
  uint64_t seq = 0;
  int64_t ts = 0;
  Kind kind = Kind::kMsg;
  uint8_t flags = 0;
  uint16_t subject_len = 0;
  uint32_t hdr_len = 0;
};

// Parses the header at p (kRecordHeaderBytes available) and checks that its fields are in range
// and that `length` fits in `avail` bytes. Does not check the CRC.
bool ParsePlausibleHeader(const char* p, size_t avail, RecordHeader* out);
// ParsePlausibleHeader plus the CRC over the whole record.
bool VerifyRecord(const char* p, size_t avail, RecordHeader* out);

// Appends a record of a kind without a message body (TOMBSTONE, GAP, FLOOR, TRUNC).
void AppendControlRecord(std::string* out, Kind kind, uint64_t seq, int64_t ts, uint64_t gap_last);
// The ERASED record that replaces a record of `length` bytes for `seq` (random body).
std::string MakeErasedRecord(uint64_t seq, int64_t ts, uint32_t length);
// The last sequence a GAP record covers (its body).
uint64_t GapLast(const char* record);

// A decoded MSG record: the logical body and where its parts are.
struct DecodedMsg {
  std::string body;
  int64_t ttl = 0;
  size_t subject_off = 0, subject_len = 0;
  size_t hdr_off = 0, hdr_len = 0;
  size_t payload_off = 0, payload_len = 0;
  std::string_view subject() const { return {body.data() + subject_off, subject_len}; }
  std::string_view hdr() const { return {body.data() + hdr_off, hdr_len}; }
  std::string_view payload() const { return {body.data() + payload_off, payload_len}; }
};

// Encodes and decodes MSG bodies for one block. Not thread-safe: each thread uses its own.
class RecordCodec {
 public:
  // Fails with BadKey when the block names a cipher and the key is missing or wrong.
  static Status Create(const BlockHeader& header, const std::string& store_key,
                       std::unique_ptr<RecordCodec>* out);
  // Fills salt, generation-independent key_check of a new block header for this key.
  static Status PrepareHeader(const std::string& store_key, BlockHeader* header);

  void AppendMsg(std::string* out, uint64_t seq, int64_t ts, int64_t ttl, std::string_view subject,
                 std::string_view hdr, std::string_view payload);
  // Decodes a record that passed VerifyRecord; false when decryption or decompression fails.
  bool DecodeMsg(const char* record, const RecordHeader& h, DecodedMsg* out);

  // Blobs (index file bodies) of encrypted blocks: nonce || ciphertext || tag.
  bool encrypted() const { return aead_ != nullptr; }
  void SealBlob(std::string_view aad, std::string_view plain, std::string* out);
  bool OpenBlob(std::string_view aad, std::string_view sealed, std::string* out);

 private:
  RecordCodec() = default;
  bool compress_ = false;
  std::unique_ptr<Aead> aead_;
  std::string scratch_;
};

}  // namespace natsd::filestore
