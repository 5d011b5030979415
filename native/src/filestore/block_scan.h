// Reading a block's records in file order: checksum verification, resynchronisation after damage
// and torn-tail detection (native/docs/filestore.md section 7.2). The result is also the
// in-memory form of an index file (index_file.h), so open treats "read the index" and "scan the
// block" the same way.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "filestore/record.h"

namespace natsd::filestore {

struct ScanEntry {
  Kind kind = Kind::kMsg;
  uint8_t flags = 0;
  uint32_t offset = 0;
  uint32_t length = 0;
  uint64_t seq = 0;
  int64_t ts = 0;
  int64_t ttl = 0;        // MSG
  uint32_t subject = 0;   // MSG: index into ScanResult::subjects
  uint32_t hdr_len = 0;   // MSG
  uint32_t payload_len = 0;  // MSG
  uint64_t gap_last = 0;  // GAP
  uint32_t skipped = 0;   // damaged bytes between the previous record and this one
};

struct DamagedRange {
  uint32_t offset = 0;
  uint32_t length = 0;
  bool torn_tail = false;  // at the end of the block with nothing valid after it
};

struct ScanResult {
  ScanResult() = default;
  ScanResult(ScanResult&&) = default;
  ScanResult& operator=(ScanResult&&) = default;
  ScanResult(const ScanResult&) = delete;  // subject_ids_ holds views into subjects
  std::deque<std::string> subjects;  // a deque: subject_ids_ holds views into it
  std::vector<ScanEntry> entries;
  std::vector<DamagedRange> damage;
  uint64_t end = kBlockHeaderBytes;  // offset after the last valid record
  uint64_t next_cover = 0;           // the sequence the next covering record must have

  uint32_t InternSubject(std::string_view subject);

 private:
  std::unordered_map<std::string_view, uint32_t> subject_ids_;
};

// Scans the block bytes from offset start to offset size, whose records must cover sequences
// from next_cover on. data holds the block from offset `base` (base <= start) to size, so a caller
// that trusts an index for the beginning of the block reads only the rest. Damaged ranges (and a
// torn tail, which the caller truncates) are appended to out->damage. The codec decodes MSG
// bodies to learn their subjects; a body it cannot decode is damage. Offsets are block offsets.
void ScanBlock(const char* data, size_t base, size_t size, size_t start, uint64_t next_cover,
               RecordCodec* codec, ScanResult* out);
// The same for data holding the whole block (base 0).
inline void ScanBlock(const char* data, size_t size, size_t start, uint64_t next_cover,
                      RecordCodec* codec, ScanResult* out) {
  ScanBlock(data, 0, size, start, next_cover, codec, out);
}

}  // namespace natsd::filestore
