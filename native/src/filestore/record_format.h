// Every constant of the block file format. The format itself is specified in prose in
// native/docs/filestore.md; section numbers below refer to it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace natsd::filestore {

// Section 2: block header.
constexpr char kBlockMagic[8] = {'N', 'A', 'T', 'S', 'D', 'B', 'L', 'K'};
constexpr uint16_t kBlockVersion = 1;
constexpr size_t kBlockHeaderBytes = 64;
constexpr uint8_t kCompressionNone = 0;
constexpr uint8_t kCompressionLz4 = 1;
constexpr size_t kSaltBytes = 16;

constexpr uint32_t kBlockSizeBytesDefault = 8u << 20;
// Bytes a store reads ahead from one block file to serve the following records from memory.
constexpr uint32_t kReadWindowBytes = 256u << 10;
constexpr uint32_t kBlockSizeBytesMin = 4u << 10;
constexpr uint32_t kBlockSizeBytesMax = 1u << 30;

// Section 3.1: record header.
constexpr size_t kRecordHeaderBytes = 32;
constexpr uint32_t kRecordBytesMax = 80u << 20;
// Largest headers + payload a message may carry (NATS max_payload cannot exceed 64 MiB).
constexpr uint32_t kMsgDataBytesMax = 64u << 20;
constexpr uint32_t kSubjectBytesMax = 0xffff;

enum class Kind : uint8_t {
  kMsg = 1,
  kTombstone = 2,
  kErased = 3,
  kGap = 4,
  kFloor = 5,
  kTrunc = 6,
};
constexpr uint8_t kKindMax = 6;

constexpr uint8_t kFlagCompressed = 1u << 0;
constexpr uint8_t kFlagEncrypted = 1u << 1;
constexpr uint8_t kFlagHasTtl = 1u << 2;
constexpr uint8_t kFlagsAll = kFlagCompressed | kFlagEncrypted | kFlagHasTtl;

// Section 3.2: bodies smaller than this are never compressed.
constexpr size_t kCompressBodyBytesMin = 64;
constexpr size_t kTtlBytes = 8;
// A TTL of -1 seconds: never expires, not even by max_age.
constexpr int64_t kTtlNever = -1;

// Section 7.2: a covering record more than this many sequences past the expected one is not
// believed (only a damaged stretch of records can open a hole, and no block holds this many);
// and holes are listed sequence by sequence in `lost` only up to this size.
constexpr uint64_t kCoverageHoleSeqsMax = 1u << 24;

// Section 6: index files.
constexpr char kIndexMagic[8] = {'N', 'A', 'T', 'S', 'D', 'I', 'D', 'X'};
constexpr uint16_t kIndexVersion = 1;
constexpr size_t kIndexHeaderBytes = 64;

// Go's accounting of a stored message's bytes (filestore.go fileStoreMsgSize), kept so a stream's
// "bytes" and max_bytes behave as in nats-server.
inline uint64_t MsgSizeBytes(size_t subject, size_t hdr, size_t payload) {
  return hdr == 0 ? 22 + subject + payload + 8 : 22 + subject + 4 + hdr + payload + 8;
}

}  // namespace natsd::filestore
