// Block scanning with resynchronisation (native/docs/filestore.md section 7.2).
#include "filestore/block_scan.h"

#include "util/coding.h"

namespace natsd::filestore {
namespace {

bool Covers(Kind kind) { return kind == Kind::kMsg || kind == Kind::kErased || kind == Kind::kGap; }

// Checks a record that passed VerifyRecord against the coverage order and, for MSG, decodes it.
// Fills *entry on success.
bool Accept(const char* rec, const RecordHeader& h, uint64_t next_cover, RecordCodec* codec,
            ScanResult* out, ScanEntry* entry, DecodedMsg* scratch) {
  if (Covers(h.kind) && (h.seq < next_cover || h.seq - next_cover > kCoverageHoleSeqsMax)) {
    return false;
  }
  if (h.kind == Kind::kGap && GapLast(rec) < h.seq) return false;
  entry->kind = h.kind;
  entry->flags = h.flags;
  entry->length = h.length;
  entry->seq = h.seq;
  entry->ts = h.ts;
  entry->ttl = 0;
  entry->subject = 0;
  entry->gap_last = h.kind == Kind::kGap ? GapLast(rec) : 0;
  if (h.kind == Kind::kMsg && (h.flags & (kFlagCompressed | kFlagEncrypted)) == 0) {
    // Plain body: read the TTL and subject in place instead of copying the payload.
    const char* body = rec + kRecordHeaderBytes;
    const size_t ttl_bytes = (h.flags & kFlagHasTtl) ? kTtlBytes : 0;
    if (h.length - kRecordHeaderBytes < ttl_bytes + h.subject_len + h.hdr_len) return false;
    if (ttl_bytes) entry->ttl = static_cast<int64_t>(DecodeFixed64(body));
    entry->subject = out->InternSubject(std::string_view(body + ttl_bytes, h.subject_len));
    entry->hdr_len = h.hdr_len;
    entry->payload_len = static_cast<uint32_t>(h.length - kRecordHeaderBytes - ttl_bytes -
                                               h.subject_len - h.hdr_len);
  } else if (h.kind == Kind::kMsg) {
    if (!codec->DecodeMsg(rec, h, scratch)) return false;
    entry->ttl = scratch->ttl;
    entry->subject = out->InternSubject(scratch->subject());
    entry->hdr_len = static_cast<uint32_t>(scratch->hdr_len);
    entry->payload_len = static_cast<uint32_t>(scratch->payload_len);
  }
  return true;
}

// The first offset at or after `from` holding an acceptable record, or size when there is none.
// data[0] is block offset base.
size_t Resync(const char* data, size_t base, size_t size, size_t from, uint64_t next_cover,
              RecordCodec* codec, ScanResult* out, ScanEntry* entry, DecodedMsg* scratch) {
  RecordHeader h;
  for (size_t off = from; off + kRecordHeaderBytes <= size; off++) {
    const char* p = data + (off - base);
    if (!ParsePlausibleHeader(p, size - off, &h)) continue;
    if (Covers(h.kind) && h.seq < next_cover) continue;
    if (!VerifyRecord(p, size - off, &h)) continue;
    if (Accept(p, h, next_cover, codec, out, entry, scratch)) return off;
  }
  return size;
}

}  // namespace

uint32_t ScanResult::InternSubject(std::string_view subject) {
  auto it = subject_ids_.find(subject);
  if (it != subject_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(subjects.size());
  subjects.emplace_back(subject);
  subject_ids_.emplace(subjects.back(), id);
  return id;
}

void ScanBlock(const char* data, size_t base, size_t size, size_t start, uint64_t next_cover,
               RecordCodec* codec, ScanResult* out) {
  DecodedMsg scratch;
  size_t off = start;
  uint32_t skipped = 0;
  while (off < size) {
    ScanEntry entry;
    RecordHeader h;
    size_t next = off;
    const char* p = data + (off - base);
    bool good = VerifyRecord(p, size - off, &h) &&
                Accept(p, h, next_cover, codec, out, &entry, &scratch);
    if (!good) {
      next = Resync(data, base, size, off + 1, next_cover, codec, out, &entry, &scratch);
      const bool torn = next >= size;
      out->damage.push_back({static_cast<uint32_t>(off), static_cast<uint32_t>(next - off), torn});
      if (torn) break;
      skipped = static_cast<uint32_t>(next - off);
      h.length = entry.length;
    }
    entry.offset = static_cast<uint32_t>(next);
    entry.skipped = skipped;
    skipped = 0;
    if (Covers(entry.kind)) {
      next_cover = (entry.kind == Kind::kGap ? entry.gap_last : entry.seq) + 1;
    }
    out->entries.push_back(entry);
    off = next + entry.length;
    out->end = off;
  }
  out->next_cover = next_cover;
}

}  // namespace natsd::filestore
